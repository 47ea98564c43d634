/**
 * Common English words, for deciding whether an organization alias is ambiguous on its own.
 *
 * Why a hand-written list: no word-frequency package is installed and none is needed. It holds the
 * few thousand most frequent English words plus the words healthcare organizations like to name
 * themselves after (Summit, Evergreen, Mercy, Unity, Horizon, Pioneer, Providence, Trinity...):
 * an alias such as "Mercy" appears in ordinary text far too often to count without context.
 */

const WORDS = `
a ability able about above absence academic accept access accident accompany accomplish account accounts
accurate achieve acquire act action active activity actually adapt add address adequate adjust admin
administrator admire admission admit adopt adult advance advanced advantage advice advise advocate advocates
affair affect afford afraid after afternoon again against age agency agent aggressive ago agree agreement
agricultural ahead aid aim air alive all alliance allied allow ally almost alone along already also alter
alternative although always am amazing amber ambulatory american among amount an analysis analyst anchor
ancient and angel angels anger angle animal announce annual another answer anxiety any anyone anything apart
apartment apex apparent apparently appeal appear appearance apple apply appointment appreciate approach
appropriate approve architect are area argue arm army around arrange arrangement arrest arrival arrive art
article artist as aside ask aspect aspen assault assert assess assessment asset assign assist assistance
assistant assisted associate association assume assumption at athlete atlas atmosphere atom attach attack
attacks attempt attend attention attitude attorney attract attractive attribute audience aurora author
authority available avenue avoid aware awareness away awful azure babies baby back bad badly bag balance
balanced ball band bank bar barely barrel base basic basically basis basket bat bathroom battle bay bayside
be beacon bear bears beat beautiful beauty because become bed bedroom been beer before began begin beginning
behavior behavioral behind being belief believe bell belong below belt bench bend beneath benefit besides
best bet bethany bethel bethesda better between beyond big bike bill billion bind biological birch bird
birth birthday birthing bison bit bitcoin bite black blade blame blanket blessed blessing blessings blind
block blood bloom blossom blow blue bluebird bluff board boat body bomb bond bone bones book boot border
born borrow boss both bother bottle bottom bought boundary bounty bowl box boy brain branch branches brand
brave breach breached bread break breakfast breath breathe breeze brick bridge bridges brief briefly bright
brighter brightest brilliant bring broad broke broken brook brookside brother brought brown brush buck
budget buffalo build building bullet bunch burden burn bury bus business busy but butter button buy buyer by
cabinet cable cake calculate call called calvary came camera camp campaign can cancel cancer candidate
canyon capability capable capacity capital capitol captain capture car carbon card cardinal cardiology care
career careful carefully cares caring carmel carrier carry case cash cast cat catalyst catch category caught
cause cedar cedars celebrate celebration celebrity cell cells cent center centers central centre century
certain certainly chain chair chairman challenge champion champions chance change channel chapter character
characteristic characterize charge charity chart chase chat cheap check cheek cheese chef chemical cherry
chest chick chicken chief child children chip chocolate choice choose chord church cigarette circle
circumstance cite citizen city civil civilian claim clarity class classic clean clear clearly client clients
cliff cliffs climate climb clinic clinical clinics clock close closely clothe clothes clothing cloud clouds
clover club cluster coach coal coalition coast coastal coat code coffee cognitive cold collapse colleague
collect collection collective college colonial colony color column combination combine come comedy comfort
comfortable command commander comment commercial commission commit commitment committee common communicate
communication communities community companion company compare comparison compass compassion compete
competition competitive competitor complain complaint complete complex component compose composition
comprehensive computer concentrate concentration concept concern concerned concert conclude conclusion
concrete condition condor conduct conference confidence confident confirm conflict confront confusion
congress connect connection connections conscious consensus consequence conservative consider considerable
consideration consist consistent consonant constant constantly constitute constitutional construct
construction consultant consume consumer consumption contact contain contemporary content contest context
continent continue contract contrast contribute contribution control controversial controversy convention
conventional conversation convert conviction convince cook cookie cooking cool cooperation cop cope copper
copy coral core corn corner cornerstone corporate corporation correct correspondent cost cotton could
counseling counselor count counter counties country county couple courage course court cousin covenant cover
cow crack craft crash crazy cream crease create creation creative creature credit creek crest crew crime
criminal crimson crisis criteria critic critical criticism criticize crop cross crossroads crowd crown
crucial cry crypto crystal cultural culture cup cure curious current custom customer customers cut cycle
cypress dad daily dale damage dance danger dangerous dare dark data database daughter dawn day daybreak
dayspring daystar dead deadline deal dear death debate debt decade decide decimal decision decline deep
deeply deer defeat defend defendant defense define definitely definition degree deliver delivery delta
demand democrat democratic demonstrate demonstration dental dentist deny department depend dependent
depending depict depression depth deputy derive dermatology describe description desert deserve design desk
desperate despite destroy destruction detail detailed detect determine develop developing development device
devote diabetes diagnostic diagnostics dialogue diamond dictionary did die diet differ difference different
differently difficult digital dimension dining dinner direct direction directly director dirt dirty
disability disagree disappear disaster discipline discourse discover discrimination discuss discussion
disease dish dismiss disorder display distance distant distinct distinction distinguish distribute
distribution district diverse diversity divide division divorce dna do doctor doctors document does dog
dollar domestic dominant dominate done door double doubt dove down download downtown dozen draft drag drama
dramatic dramatically draw drawing dream dress drink drive driver drop drug dry duck due dump dumps during
dust duty dynamic dynamics each eager eagle eagles ear early earn earnings ears earth ease easily east
eastern easy eat ebony economic economics economist economy ecosystem eden edge edition editor educate
education educational educator effect effective effectively efficiency efficient effort egg eight either
elder elderly elders elect election electric electricity element elementary elements eliminate elite elm
elms else elsewhere email ember embrace emerald emerge emergency emission emmanuel emotion emotional
emphasis emphasize empire employ employee employer employment empty enable encounter encourage end enemy
energy engage engagement engine engineer engineering enhance enjoy enormous enough ensure enter enterprise
entertainment entire entirely entrance entry environment environmental episode equal equally equate
equipment era error escape escrow especially essay essential essentially essentials establish estate
estimate ethics ethnic evaluate evaluation even evening event eventually ever evergreen every everybody
everyone everything evidence evident evil evolution evolve exact exactly examination examine example exceed
excellence excellent except exception exchange excite exciting executive exercise exhibit exhibition exist
exodus expand expansion expect expectation expense expensive experience experiment expert explain
explanation explode explore explosion expose exposure express expression extend extension extensive extent
external extra extraordinary extreme extremely eye eyes fabric face facility fact factor faculty fail
failure fair faith falcon fall false fame familiar families family famous fan fantasy far farm farmer
fashion fast fat fate father fathers fault favor favorite fear feature federal fee feed feel feeling feet
fell fellow felt female fence fern festival few fiber fiction field fifteen fifth fifty fig fight figure
file files fill film final finally finance financial find finding fine finger finish fire firm first fish
fishing fit fitness five flag flame flames flat flavor flee flesh flight float flood floor flow flower
flowers fly focus folk follow following food foot football for force foreign forest forever forget form
formal formation former formula fortune forum forums forward found foundation foundations founder four
fourth fox fraction frame framework frankly free freedom frequency frequent frequently fresh friend friends
friendship from front frontier fruit frustration fuel full fully fun function fund funding funeral funny
furniture furthermore fusion future gain galaxy gallery game gap garage garden gardens gas gate gateway
gather gave gay gaze gear gender gene general generally generate generation generous genes genesis genetic
gentle gentleman gently genuine gesture get giant gift gifted girl give glad glance glass glen global globe
glory glove glow go goal gold golden golf gone good got govern government grab grace grade gradually
graduate grain grand grandfather grandmother granite grant grass grave gray great greatest green greenleaf
greens grew grey grocery ground group groups grove groves grow growth guarantee guard guardian guardians
guess guest guidance guide guideline guilty gulf gun guy habit habitat hack hacked hacker hackers had hair
half hand handful handle hang happen happily happy harbor harbour hard hardly harm harmony harvest has hat
hate have haven hawk he head headline headquarters heal healing health healthcare healthy hear heard hearing
heart hearts heat heather heaven heavy hebron height heights held hell hello help helpful hence her herb
here heritage hero heroes heron herself hey hidden hide high highland highlands highlight highly highway
hill hills him himself hip hire his historian historic historical history hit hockey hold hole holiday
holistic holly holy home homeless homes honest honey honor hook hope hopes horizon horizons horror horse
hospice hospital hospitals host hostage hostile hot hotel hour house household housing how however hub huge
human hummingbird hundred hunt hunting hurry hurt husband i ice icon idea ideal identify identity if ignore
illegal illness illustrate image imagination imagine imaging immanuel immediate immediately immigrant
immigration impact imperial implement implication imply important impose impossible impress impression
impressive improve in incentive inch incident include including income incorporate increase increased
increasing increasingly incredible indeed independence independent index indian indicate indication indigo
individual industry infant infection inflation influence info inform information initial initially
initiative injury inner innocent innovation innovative inpatient inquiry insect inside insight insights
insist inspire install instance instant instead institution institutional instruction instructor instrument
insurance integrated integrity intellectual intelligence intend intense intensity intention interaction
interest interesting internal international internet interpret interpretation intervention interview into
invasion invent invest investigate investigation investigator investment investor invite involve involved
involvement iris iron is island islands isolate issue it item itself ivory ivy jacket jade jail jasmine job
join joint joints joke jordan journal journalist journey joy judge judgment juice jump junior jury just
justice justify keep kept key keystone kid kidney kids kill killer killing kind kindness kinetic king
kingdom kiss kitchen knee knew knife knock know knowledge lab label labor laboratories laboratory labs lack
ladder lady lagoon lake lakeland lakes lakeside lakeview land landmark landscape lane language lap large
largely laser last late lately later latter laugh launch laurel law lawsuit lawyer lay layer lead leader
leadership leaf league leak leaked leaks lean learn learning least leather leave leaves lebanon lecture led
left leg legacy legal legend legislation legitimate lemon length less lesson let letter level liberal
liberty lie life lifestyle lifetime lift light lighthouse lightning lights like likely lily limit limitation
limited line link links lion lions lip liquid list listen literally literary literature little live liver
lives living loan local locate location lock log login lone lonely long long-term look lookout loop loose
lord lose loss lost lot lotus loud love lovely lover low lower lowland lowlands luck lucky lumen lunar lunch
lung lungs luxury machine made magazine magnet magnolia mail main mainly mainstream maintain majestic major
majority make maker makeup mall man manage management manager manner manufacturer manufacturing many map
maple maples marble margin marine mariner mark market marketing marriage married marsh mask mass massive
master match mate material maternity math matrix matter maximum may maybe me meadow meadows meal mean
meaning meant meanwhile measure measurement meat mechanism medal media medical medication medicine medicines
meet meeting melody member members memory men mental mention menu mercy mere merely mesa mess message
messages metal meter method metro metropolitan mid middle middle-class midnight midwest might migration mild
mile milestone military milk million mind mine minimum minister minor minority minute miracle miracles
mirror miss missile missing mission mistake mix mixture mode model moderate modern modest molecule mom
moment momentum money monitor month monthly mood moon moral more moreover morning mortgage moss most mostly
mother mothers motion motivation motor mount mountain mountains mouse mouth move movement movie much
multiple multiply murder muscle museum music musical musician muslim must mustang mutual my myself mystery
myth naked name narrative narrow nation national nationwide native natural nature naval navigator navy
nazareth near nearly necessarily necessary neck need negative negotiate negotiation neighbor neighborhood
neither nerve nervous nest net network neurology neutral never nevertheless new newborn newly news newspaper
next nexus nice night nine no noble nobody nod noise nomination none nonetheless noon nor normal normally
north northeast northern northwest nose not note nothing notice notion noun novel now nuclear number numeral
numerous nurse nurses nursing nurture nurturing nut nutrition oak oaks oakwood oasis object objective
obligation observation observe observer obstetrics obtain obvious obviously occasion occasionally occupation
occupy occur ocean oceanic odd odds of off offense offensive offer offering office officer official often oh
oil ok old on once oncology one ongoing onion online only onto open opening openly opera operate operating
operation operator opinion opponent opportunity oppose opposite opposition optimal optimum option or orange
orchard orchards order ordinary organ organic organization organize orientation origin original originally
oriole orthopedic orthopedics osprey other others otherwise ought our ourselves out outcome outdoor outer
outlook outpatient output outside over overall overcome overlook owe own owner ownership oxygen pace pack
package pad page pages pain paint painting pair pale palm palms pan panel panic panorama paper paradise
paragraph parent parents park parking parks parkside parkway part participant particular particularly partly
partner partners partnership party pass passage passenger passion password passwords past pasta patch path
pathway pathways patience patient patients patriot patriots patrol pattern pause pay peace peak peaks pearl
pediatric pediatrics peer pelican penalty pension people pepper per perceive percentage perception perfect
perfectly perform performance perhaps period permanent permission permit person personal personality
personally personnel perspective persuade pharmacies pharmacy phase phenomenon philosophy phoenix phone
photo photograph photographer phrase physical physician physicians pick picture pie piece pile pilot pine
pines pink pinnacle pioneer pioneers pipe pitch place places plain plains plan plane planet planning plant
plastic plate platform platinum play player plaza please pledge plenty plot plural plus pocket poem poet
poetry point points pole police policy political politics poll pollution pool poor pop popular populate
population porch port portal portion portrait portray pose position positive possess possession possibility
possible possibly post posts pot potato potential potentially pound pour poverty powder power powerful
practical practice prairie praise pray prayer precisely precision predict preference pregnancy pregnant
premier premium preparation prepare prescription presence present preserve president press pressure
presumably pretty prevent prevention previous previously price prices pride priest primarily primary prime
principal principle print prior priority prism prison prisoner privacy private prize pro probable probably
problem proceed process produce producer product production profession professional professor profile profit
profound program progress project prominent promise promises promote prompt proof proper properly property
proportion proposal propose proposed prosecutor prospect protect protection protein protest proud prove
provide providence province provision psychiatric psychological psychologist psychology public pull pump
punishment purchase pure purple purpose pursue push put quality quantum quart quarter quest question quick
quickly quiet quietly quit quite quote quotient race racial radiance radiant radical radio radiology rail
rain rainbow raise ran range rank ransom ransomware rapid rapidly rare rarely rat rate rather rating ratio
raven raw reach reaction read reader readily ready real realistic reality realize really reason reasonable
recall receive recent recently recipe recognition recognize recommend recommendation record recover recovery
recruit red reduce reduction reference reflect reform refuge refugee refuse regal regard regarding
regardless regime region regional register regular regularly regulate regulation rehab rehabilitation
reinforce reject relate relation relationship relative relatively relax release relevant relief religion
religious rely remain remaining remarkable remember remind remote remove rental repair repeat replace reply
report reporter reports represent representation representative republican reputation request require
requirement rescue research resemble reservation resident residential resist resistance resolution resolve
resort resource respect respond respondent response responsibility rest restaurant restore restriction
result retain retire retirement return returning reveal revenue review revolution rhythm rice rich rid ride
ridge ridges rifle right rim ring rise rising risk rival river rivers riverside riverview road rock rocks
role roll romantic roof room root roots rope rose rough roughly round route routine row royal rub ruby rule
ruling run rural rush sacred sad safe safety sage said sail saint saints sake salad salary sale salem sales
salmon salt samaritan same sample sanction sanctuary sand sapphire sat satellite satisfaction satisfy sauce
save saving saw say scale scandal scared scarlet scene schedule scheme scholar scholarship school science
scientist scope score screen script sculpture sea seal search seaside season seat second secondary secret
secretary section sector secure security see seed seeds seek seeking seem segment seize select selection
self sell seller selling send senior seniors sense sensitive sent sentence separate sequence serenity series
serious serve server servers service services set setting settle settlement seven several severe sexual
shade shadow shake shall shape share shareholder sharon sharp she shed sheet shelf shell shelter shepherd
shift shiloh shine shining ship shirt shock shoe shoot shooting shop shopping shore shoreline short shortly
shot should shoulder shout show shower shrug shut sick side sigh sight sign signal significant silence
silent silk silly silver similar similarly simple simply sin since sing single sink sir sister sit site
sites situation six size skies skill skin skip sky skyline slave sleep slice slide slight slightly slip slow
slowly small smart smell smile smoke smooth snap snow so so-called soccer social society soft software soil
solar soldier solid solution solve some somebody somehow someone something sometimes somewhat somewhere son
song soon sophisticated sorry sort soul sound soup source south southeast southern southwest sovereign space
spare spark sparrow speak speaker special specialist specialists specialty species specific specifically
spectrum speech speed spell spend spending sphere spin spine spirit spiritual split spoke spokesman sponsor
sport sports spot spread spring springs squad square stable stadium staff stag stage stair stake stance
stand standard star stare stars start starting state statement states station stay stead steady steal steam
steel stem step sterling stick stiff still stimulus stir stock stomach stone stones stood stop storage store
storm story straight strange stranger strategic strategy stream street strength strengthen stress stretch
strike string strip stroke strong structure struggle student studio study stuff stupid style subject submit
subsequent substance substantial subtract suburb succeed success successful successfully such sudden
suddenly suffer sufficient suffix sugar suggest suicide suit suitable sum summer summit summits sun sunny
sunrise sunset sunshine super supplier supply support supporter suppose supposed supreme sure surface
surgeon surgeons surgery surgical surprise surprised surprising surround survey survival survive survivor
suspect sustain swan swear sweep sweet swim swing switch syllable symbol symptom synergy system table tackle
tail take tale talent talk tall tank tap tape target task taste tax taxpayer tea teach teacher teaching team
tear teaspoon technical technique technology teen teenager teeth telephone telescope television tell
temperature temporary ten tend tendency tender tennis tension tent term terrace terrible territory terror
terrorism terrorist test testify testimony testing text than thank thanks that the theater their them theme
themselves then theory therapies therapy there thereby these they thick thin thing think thinking third
thirty this those though thought thousand thread threads threat threaten three throat through throughout
throw thumb thunder thus ticket tie tight time tiny tip tire tired tissue titan titans title to tobacco
today toe together told tomato tomorrow tone tongue tonight too took tool tooth top topic toss total touch
tough tour tourist tournament toward tower town towns township toy trace track trade tradition traditional
traffic tragedy trail train training tranquility transfer transform transformation transition translate
transportation trap trash travel tray treasure treat treatment treaty tree trees trend trial triangle tribe
trick trinity trip triumph troop trouble truck true truly trust truth try tube tumor tunnel turn twelve
twenty twice twilight twin two type typical typically ugly ultimate ultimately unable uncle under undergo
understand uniform union unique unit united unity universal universe university unknown unless unlike
unlikely until unusual up update upland upload upon upper urban urge urgent urology us use used useful user
users usual usually vacation vale valley valleys valor valuable value variable variation variety various
vary vast vector vegetable vehicle velocity vendor vendors venture ventures verb version versus vertex very
vessel veteran veterans via victim victims victory video view viewer views village violate violence violent
violet virtually virtue visible vision visions visit visitor vista vistas visual vital voice volume
volunteer vote voter vowel voyage vs vulnerable wage wait wake walk wall wallet want war warm warn warning
was wash waste watch water wave way we wealth wealthy weapon wear weather web website wedding week weekend
weekly weigh weight welcome welfare well wellness wells went were west western wet what whatever wheel when
whenever where whereas whether which while whisper white who whole whom whose why wide widely widow wife
wild will willing willow willows win wind window winds wine wing winner winter wipe wire wisdom wise wish
with withdraw within without witness wolf woman women wonder wonderful wood wooden woodland woodlands woods
word work worker working workshop world worry would write writer writing written wrong wrote yard yeah year
yell yellow yes yet yield you young your yourself youth zenith zion zone
`;

/** The list, lower-case. */
export const COMMON_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((word) => word !== ''));

/**
 * True when `word` (one token, any case) is a common English word, also in a simple plural or
 * possessive form ("Pioneers", "Mercy's").
 */
export function isCommonWord(word: string): boolean {
  const lower = word.toLowerCase().replace(/['\u2019]s$/, '');
  if (COMMON_WORDS.has(lower)) return true;
  if (lower.endsWith('ies') && COMMON_WORDS.has(`${lower.slice(0, -3)}y`)) return true;
  if (lower.endsWith('es') && COMMON_WORDS.has(lower.slice(0, -2))) return true;
  return lower.endsWith('s') && COMMON_WORDS.has(lower.slice(0, -1));
}
