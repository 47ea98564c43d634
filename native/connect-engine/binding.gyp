{
  "targets": [
    {
      "target_name": "connect_engine",
      "sources": ["connect_engine.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
