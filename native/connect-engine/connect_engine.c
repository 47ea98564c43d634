/*
 * The connect scan's attempt engine (Linux): bare non-blocking TCP connects on an epoll set of its own,
 * their answers handed to JavaScript in batches. The scan's logic (policy, rate limit, retries, timeouts,
 * verdicts) stays in TypeScript (src/probes/ports/connect-scan.ts); this file only does what was measured
 * to be too slow through libuv TCP handles: a JavaScript wrapper, a handle close round trip and an
 * epoll_ctl DEL per attempt, and a call into JavaScript per answer (docs/network.md, "Attempt engine").
 *
 * One engine per thread (Node environment): init(results, onBatch) once, then connect(address, family,
 * port) -> slot (>= 0) or a negative errno when the attempt failed before any packet, and abort(slot). When
 * attempts are answered, the engine writes [slot, status] pairs into `results` (an Int32Array; status 0 =
 * accepted, else -errno as libuv reports it) and calls onBatch(count). An accepted connection is closed
 * with an RST (SO_LINGER 0), as nmap's connect scan closes it. A slot is not reused until its batch has
 * been delivered, so a pair always names the attempt it answers.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8 /* async cleanup hooks */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#define MAX_EVENTS 1024

typedef struct {
  napi_env env;
  int epfd;
  uv_poll_t *poll; /* freed by its close callback */
  int polling_referenced;
  napi_ref results_ref;
  int32_t *results;
  size_t result_pairs;
  napi_ref callback_ref;
  napi_async_context async_context;
  int *fds; /* per slot; -1 when free */
  uint32_t *generations; /* per slot, bumped at each use: tags its epoll events (see on_ready) */
  uint32_t slot_count;
  uint32_t *free_slots;
  uint32_t free_count;
  uint32_t *deferred; /* slots freed during a batch, returned after it */
  uint32_t deferred_count;
  int delivering;
  uint32_t in_flight;
  napi_async_cleanup_hook_handle cleanup;
} engine_t;

static void throw_errno(napi_env env, const char *what, int err) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  napi_throw_error(env, NULL, message);
}

/* The poll handle keeps the thread's event loop alive only while attempts are in flight. */
static void update_reference(engine_t *e) {
  int want = e->in_flight > 0;
  if (want == e->polling_referenced) return;
  if (want) uv_ref((uv_handle_t *)e->poll);
  else uv_unref((uv_handle_t *)e->poll);
  e->polling_referenced = want;
}

static void release_slot(engine_t *e, uint32_t slot) {
  e->fds[slot] = -1;
  if (e->delivering) e->deferred[e->deferred_count++] = slot;
  else e->free_slots[e->free_count++] = slot;
}

/* Resizes one per-slot array to `count` elements; on failure it is left as it was. */
static int resize(void **array, uint32_t count, size_t element) {
  void *resized = realloc(*array, count * element);
  if (!resized) return -1;
  *array = resized;
  return 0;
}

static int grow(engine_t *e) {
  uint32_t count = e->slot_count ? e->slot_count * 2 : 4096;
  if (resize((void **)&e->fds, count, sizeof *e->fds) != 0 ||
      resize((void **)&e->free_slots, count, sizeof *e->free_slots) != 0 ||
      resize((void **)&e->deferred, count, sizeof *e->deferred) != 0 ||
      resize((void **)&e->generations, count, sizeof *e->generations) != 0)
    return -1;
  /* New slots are handed out lowest first. */
  for (uint32_t s = count; s > e->slot_count; s--) {
    e->fds[s - 1] = -1;
    e->generations[s - 1] = 0;
    e->free_slots[e->free_count++] = s - 1;
  }
  e->slot_count = count;
  return 0;
}

/* The slots of a delivered batch (and of attempts aborted meanwhile) become free. */
static void return_deferred(engine_t *e) {
  for (uint32_t i = 0; i < e->deferred_count; i++) e->free_slots[e->free_count++] = e->deferred[i];
  e->deferred_count = 0;
}

static void deliver(engine_t *e, uint32_t count) {
  napi_env env = e->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) {
    return_deferred(e);
    return;
  }
  napi_value callback, receiver, argument, ignored;
  napi_get_reference_value(env, e->callback_ref, &callback);
  napi_get_global(env, &receiver); /* napi_make_callback wants an object */
  napi_create_uint32(env, count, &argument);
  e->delivering = 1;
  napi_status status = napi_make_callback(env, e->async_context, receiver, callback, 1, &argument, &ignored);
  e->delivering = 0;
  return_deferred(e);
  if (status == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  } else if (status != napi_ok) {
    /* The thread is ending (a worker terminated: Node runs its loop once more to close handles, but JS may no
     * longer be called). Nobody waits for these answers; stop polling. */
    uv_poll_stop(e->poll);
  }
  napi_close_handle_scope(env, scope);
}

static void on_ready(uv_poll_t *handle, int status, int events) {
  (void)status;
  (void)events;
  engine_t *e = handle->data;
  struct epoll_event ready[MAX_EVENTS];
  int capacity = e->result_pairs < MAX_EVENTS ? (int)e->result_pairs : MAX_EVENTS;
  for (;;) {
    int n = epoll_wait(e->epfd, ready, capacity, 0);
    if (n <= 0) break;
    uint32_t answered = 0;
    for (int i = 0; i < n; i++) {
      /*
       * close() removes a socket from the epoll set only once no other descriptor refers to it: while another
       * thread forks a child (to run a program), the child holds copies until it calls exec. Registrations are
       * one-shot, so a closed socket's cannot fire again, and an event must name the slot's current attempt
       * (its generation) or it is someone else's.
       */
      uint32_t slot = (uint32_t)ready[i].data.u64;
      uint32_t generation = (uint32_t)(ready[i].data.u64 >> 32);
      if (slot >= e->slot_count || e->fds[slot] < 0 || e->generations[slot] != generation) continue;
      int fd = e->fds[slot];
      int err = 0;
      socklen_t length = sizeof err;
      if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &length) != 0) err = errno;
      if (err == 0 && !(ready[i].events & EPOLLOUT)) err = ECONNRESET; /* hung up without an error code */
      if (err == 0) {
        struct linger reset = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
      }
      close(fd);
      e->results[2 * answered] = (int32_t)slot;
      e->results[2 * answered + 1] = -err;
      answered++;
      /* Not free until JavaScript has read the batch: an attempt started while it reads must not take a
       * slot named further on in it. */
      e->fds[slot] = -1;
      e->deferred[e->deferred_count++] = slot;
    }
    e->in_flight -= answered;
    if (answered > 0) deliver(e, answered);
    if (n < capacity) break;
  }
  update_reference(e);
}

static engine_t *engine_of(napi_env env) {
  void *data = NULL;
  napi_get_instance_data(env, &data);
  return data;
}

static void free_engine(engine_t *e) {
  free(e->fds);
  free(e->free_slots);
  free(e->deferred);
  free(e->generations);
  free(e);
}

/* The poll handle's memory and the engine go only once libuv has closed it; then the thread may end. */
static void on_poll_closed(uv_handle_t *handle) {
  engine_t *e = handle->data;
  napi_async_cleanup_hook_handle cleanup = e->cleanup;
  free(handle);
  free_engine(e);
  if (cleanup) napi_remove_async_cleanup_hook(cleanup);
}

/*
 * The thread's environment is ending (a worker terminated, or the process exiting). Asynchronous, so
 * that Node waits for the poll handle's close callback: this library may be unloaded after the hook,
 * and a callback into unloaded code would crash the thread's last loop turn.
 */
static void teardown(napi_async_cleanup_hook_handle handle, void *data) {
  engine_t *e = data;
  e->cleanup = handle;
  for (uint32_t s = 0; s < e->slot_count; s++)
    if (e->fds[s] >= 0) close(e->fds[s]);
  if (e->async_context) napi_async_destroy(e->env, e->async_context);
  if (e->results_ref) napi_delete_reference(e->env, e->results_ref);
  if (e->callback_ref) napi_delete_reference(e->env, e->callback_ref);
  e->async_context = NULL;
  e->results_ref = e->callback_ref = NULL;
  uv_poll_stop(e->poll);
  uv_close((uv_handle_t *)e->poll, on_poll_closed);
  if (e->epfd >= 0) close(e->epfd);
}

static void finalize_instance(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  (void)hint; /* the cleanup hook frees the engine */
}

/* init(results: Int32Array, onBatch: (count) => void): capacity = results.length / 2 answers per batch. */
static napi_value init(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (engine_of(env)) {
    napi_throw_error(env, NULL, "the connect engine is already initialised in this thread");
    return NULL;
  }
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t offset;
  if (argc < 2 || napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok ||
      type != napi_int32_array || length < 2) {
    napi_throw_type_error(env, NULL, "init(results: Int32Array of at least 2, onBatch: function)");
    return NULL;
  }
  napi_valuetype callback_type;
  napi_typeof(env, argv[1], &callback_type);
  if (callback_type != napi_function) {
    napi_throw_type_error(env, NULL, "onBatch must be a function");
    return NULL;
  }
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
    napi_throw_error(env, NULL, "no event loop");
    return NULL;
  }
  engine_t *e = calloc(1, sizeof *e);
  if (!e) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  e->env = env;
  e->epfd = epoll_create1(EPOLL_CLOEXEC);
  if (e->epfd < 0) {
    int err = errno;
    free(e);
    throw_errno(env, "epoll_create1", err);
    return NULL;
  }
  e->results = data;
  e->result_pairs = length / 2;
  napi_create_reference(env, argv[0], 1, &e->results_ref);
  napi_create_reference(env, argv[1], 1, &e->callback_ref);
  napi_value name;
  napi_create_string_utf8(env, "VitalsConnectEngine", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &e->async_context);
  e->poll = malloc(sizeof *e->poll);
  if (!e->poll || uv_poll_init(loop, e->poll, e->epfd) != 0) {
    free(e->poll);
    close(e->epfd);
    napi_async_destroy(env, e->async_context);
    napi_delete_reference(env, e->results_ref);
    napi_delete_reference(env, e->callback_ref);
    free_engine(e);
    napi_throw_error(env, NULL, "uv_poll_init failed");
    return NULL;
  }
  e->poll->data = e;
  uv_poll_start(e->poll, UV_READABLE, on_ready);
  uv_unref((uv_handle_t *)e->poll);
  napi_set_instance_data(env, e, finalize_instance, NULL);
  napi_add_async_cleanup_hook(env, teardown, e, NULL);
  return NULL;
}

static napi_value int_value(napi_env env, int number) {
  napi_value value;
  napi_create_int32(env, number, &value);
  return value;
}

/* connect(address: string, family: 4 | 6, port: number) -> slot >= 0, or -errno (nothing was sent). */
static napi_value connect_attempt(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  engine_t *e = engine_of(env);
  if (!e) {
    napi_throw_error(env, NULL, "the connect engine is not initialised in this thread");
    return NULL;
  }
  char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2]; /* an IPv6 address may carry a zone: fe80::1%eth0 */
  size_t text_length = 0;
  int32_t family = 0, port = 0;
  if (argc < 3 || napi_get_value_string_utf8(env, argv[0], text, sizeof text, &text_length) != napi_ok ||
      napi_get_value_int32(env, argv[1], &family) != napi_ok || napi_get_value_int32(env, argv[2], &port) != napi_ok ||
      (family != 4 && family != 6) || port < 1 || port > 65535) {
    napi_throw_type_error(env, NULL, "connect(address: string, family: 4 | 6, port: 1-65535)");
    return NULL;
  }
  /* An address this cannot read is answered EINVAL like any failure before a packet, never thrown. */
  if (text_length >= sizeof text - 1) return int_value(env, -EINVAL);
  struct sockaddr_storage destination;
  socklen_t destination_length;
  memset(&destination, 0, sizeof destination);
  if (family == 4) {
    struct sockaddr_in *v4 = (struct sockaddr_in *)&destination;
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, text, &v4->sin_addr) != 1) return int_value(env, -EINVAL);
    destination_length = sizeof *v4;
  } else {
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&destination;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    char *zone = strchr(text, '%');
    if (zone) {
      *zone++ = '\0';
      unsigned int index = if_nametoindex(zone);
      char *end = NULL;
      unsigned long number = strtoul(zone, &end, 10);
      if (index == 0 && *zone != '\0' && end && *end == '\0' && number <= UINT32_MAX) index = (unsigned int)number;
      if (index == 0) return int_value(env, -EINVAL);
      v6->sin6_scope_id = index;
    }
    if (inet_pton(AF_INET6, text, &v6->sin6_addr) != 1) return int_value(env, -EINVAL);
    destination_length = sizeof *v6;
  }
  if (e->free_count == 0 && grow(e) != 0) {
    napi_throw_error(env, NULL, "connect engine: out of memory");
    return NULL;
  }
  int result;
  int fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    result = -errno;
  } else if (connect(fd, (struct sockaddr *)&destination, destination_length) != 0 && errno != EINPROGRESS) {
    result = -errno; /* refused at once, or no local port: answered by the caller, asynchronously */
    close(fd);
  } else {
    uint32_t slot = e->free_slots[--e->free_count];
    uint32_t generation = ++e->generations[slot];
    struct epoll_event interest = {.events = EPOLLOUT | EPOLLONESHOT,
                                   .data = {.u64 = ((uint64_t)generation << 32) | slot}};
    if (epoll_ctl(e->epfd, EPOLL_CTL_ADD, fd, &interest) != 0) {
      result = -errno;
      close(fd);
      e->free_slots[e->free_count++] = slot;
    } else {
      e->fds[slot] = fd;
      e->in_flight++;
      update_reference(e);
      result = (int)slot;
    }
  }
  return int_value(env, result);
}

/* abort(slot): closes an attempt in flight; its answer, if any, is never delivered. */
static napi_value abort_attempt(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  engine_t *e = engine_of(env);
  uint32_t slot;
  if (!e || argc < 1 || napi_get_value_uint32(env, argv[0], &slot) != napi_ok || slot >= e->slot_count ||
      e->fds[slot] < 0)
    return NULL; /* already answered or never started: nothing to do */
  /* Out of the epoll set explicitly: a copy held by a forking thread's child would keep it armed. */
  epoll_ctl(e->epfd, EPOLL_CTL_DEL, e->fds[slot], NULL);
  close(e->fds[slot]);
  release_slot(e, slot);
  e->in_flight--;
  update_reference(e);
  return NULL;
}

static napi_value module_init(napi_env env, napi_value exports) {
  napi_property_descriptor functions[] = {
      {"init", NULL, init, NULL, NULL, NULL, napi_default, NULL},
      {"connect", NULL, connect_attempt, NULL, NULL, NULL, napi_default, NULL},
      {"abort", NULL, abort_attempt, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, functions);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, module_init)
