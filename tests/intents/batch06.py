# ruff: noqa: E501
"""Probe batch 6: a last, smaller batch in the issue's style families, written after every
other fix so that its before-fix figures estimate the finished classifier on unseen messages.

Written and labelled by the call-taker's rules in LABELLING.md before the classifier saw any
of it.

Before-fix figures (classifier at commit c133614, after every fix for batches 1-5):
  n=84 acute_recall=0.811 acute_caught=0.892 net_rate_non_acute=0.064 acute_precision=0.968
  report_f1=0.929 accuracy=0.893
  by family (acute recall / caught / accuracy): long 0.57/0.57/0.70, tense 1.00/1.00/0.89,
  nonoun 0.83/0.92/0.88, modern 0.50/1.00/0.80, dialect 1.00/1.00/1.00,
  elderly 1.00/1.00/1.00, benign (no acute; no false alarm of 14) -/-/1.00
"""

from __future__ import annotations

from intents import Route

A, R, O = Route.ACUTE, Route.REPORT, Route.OFFICER  # noqa: E741

PROBES: list[tuple[str, Route, str]] = [
    # --- long messages: the emergency comes after unrelated context ------------------------
    ("long", A, "Hej Tina, tak for invitationen til sommerfesten, vi kommer gerne 4. Mens jeg skriver det her, ser jeg at der står en mand ude på gaden og river i døren til en bil hvor der sidder en kvinde der skriger"),
    ("long", A, "Vi har haft en travl uge i foreningen med loppemarked og oprydning. Jeg er lige kommet hjem og min søn på 17 sidder helt bleg og ryster og siger han har taget nogle piller han fik til en fest"),
    ("long", A, "Hello! Following up on the safety walk, the map is attached. Right now though, there is water coming through the ceiling and the electricity box is sparking in our hallway"),
    ("long", A, "Godmorgen. Ville bare sige at fartmålerne virker, folk sætter farten ned. Men lige nu står der en fyr på broen over Storåen og har kastet sin cykel i vandet og klatrer op på kanten"),
    ("long", A, "Hej, kan vi flytte næste møde til onsdag? Der er noget andet: der er en ældre dame der er gået forkert ind i vores opgang, hun ved ikke hvem hun er og hun har kun en natkjole på"),
    ("long", A, "Tak for sidst! Vi havde en hyggelig aften. Lige en ting mere: der er en flok unge der har tændt et bål inde i den tørre skov bag hallen og flammerne er oppe i træerne"),
    ("long", A, "Just wanted to say the leaflets were popular. Also there's a car parked on the level crossing with the engine off and the barriers are coming down, the driver is asleep"),
    ("long", O, "Hej Jonas. Tak for snakken. En af naboerne fortalte at der var nogen der havde prøvet at åbne bildøre på vejen for et par uger siden, men der er ikke sket mere. Kan I køre en tur forbi en aften?"),
    ("long", R, "Kære Mette, håber alt er vel. Vi opdagede i morges at nogen har skåret hul i hegnet til kolonihaverne og taget haveredskaber fra tre af skurene. Skal vi anmelde det hver for sig?"),
    ("long", O, "Good evening. We talked at the meeting about the fights outside the pizzeria last spring. It's been calm since. Could we still have a patrol on Friday nights?"),
    # --- tense triples: the same situation now / over / asked about ------------------------
    ("tense", A, "der er nogen der har sat ild til en bil på p-pladsen lige nu, den brænder helt op og de løber væk"),
    ("tense", R, "nogen satte ild til min bil på p-pladsen i nat, den er helt udbrændt, politiet siger det er påsat"),
    ("tense", O, "hvordan kan vi forebygge bilbrande i vores boligområde?"),
    ("tense", A, "a man with a bat is smashing car windows on our street right now and shouting at people"),
    ("tense", R, "someone smashed three car windows on our street with a bat on sunday night, mine included"),
    ("tense", O, "who pays for the damage when your car is vandalised?"),
    ("tense", A, "min datter på 1 år har fået en vindrue galt i halsen og kan ikke trække vejret"),
    ("tense", O, "min søn fik noget galt i halsen i går men det kom op igen og han har det fint"),
    ("tense", O, "findes der kurser i førstehjælp til småbørn i Herning?"),
    ("tense", A, "min eks står ude foran min dør og sparker på den og siger han vil ind, jeg er alene med børnene"),
    ("tense", R, "min eks sparkede min dør i stykker i weekenden og truede mig, jeg vil anmelde det"),
    ("tense", O, "hvordan får man et tilhold mod en eks der ikke vil lade en være?"),
    ("tense", A, "vores datter på 13 er ikke kommet hjem fra skole og hun svarer ikke, hun skulle have været hjemme for 3 timer siden"),
    ("tense", O, "vores datter var forsvundet et par timer i går men hun var hos en veninde, alt er godt"),
    ("tense", O, "hvornår skal man kontakte politiet hvis ens teenager ikke kommer hjem?"),
    ("tense", A, "en bil ræser frem og tilbage foran skolen lige nu mens børnene får fri, han har næsten kørt to ned"),
    ("tense", R, "en bil kørte vanvittigt foran skolen i går og ramte næsten to børn, vi har nummerpladen og vil anmelde det"),
    ("tense", O, "kan vi få en fartkontrol ved skolen om eftermiddagen?"),
    # --- situations told without the usual nouns -------------------------------------------
    ("nonoun", A, "hun har fået et kæmpe hævet ansigt efter hun spiste kage og hun hvæser når hun trækker vejret"),
    ("nonoun", A, "der er en mand der vader rundt i fjorden med tøjet på og han går længere og længere ud"),
    ("nonoun", A, "jeg kan se nogen bevæge sig i bilen der er kørt ned i grøften, den ligger på taget i vandet"),
    ("nonoun", A, "der dufter af brændt og der kommer gnister ud fra el-tavlen i kælderen"),
    ("nonoun", A, "min kone kan ikke huske hvor hun er og hendes ene mundvig hænger"),
    ("nonoun", A, "a woman is lying on the pavement outside the bakery and people are just walking past"),
    ("nonoun", A, "han har hugget sig i benet med en økse mens han flækkede brænde og det sprøjter"),
    ("nonoun", A, "to unge fyre slæber en pige ind bag containerne ved stationen og hun prøver at komme fri"),
    ("nonoun", A, "der kommer en mærkelig gul damp ud fra fabrikken og folk på gaden hoster"),
    ("nonoun", A, "vores nabo har været forsvundet siden i morges, han har alzheimer og det er begyndt at sne"),
    ("nonoun", A, "lastbilen har mistet et hjul og det ruller ned ad bakken mod børnehaven"),
    ("nonoun", A, "en ældre mand er kørt ind i butiksvinduet med sin bil og sidder og bløder"),
    ("nonoun", O, "der kører mange traktorer gennem byen i høsttiden, kan man få dem til at køre langsommere?"),
    ("nonoun", R, "der er nogen der har skåret alle dækkene op på firmabilerne i løbet af natten"),
    ("nonoun", O, "der står en forladt barnevogn ved søen, den har stået der i en uge"),
    ("nonoun", O, "naboen har en stor hund der gør meget, men den har ikke gjort noget"),
    # --- fraud and extortion in progress, and their past and question forms -----------------
    ("modern", A, "en mand fra 'Microsoft' styrer min mors computer lige nu og hun har lige givet ham sit dankortnummer"),
    ("modern", A, "min søn på 14 bliver lige nu presset af nogle ældre drenge over snapchat til at hente en pakke for dem, ellers slår de ham"),
    ("modern", A, "my grandmother just let in two men who say they're from the water company and one is keeping her busy in the kitchen"),
    ("modern", A, "min veninde er lige blevet afpresset på messenger, han siger han sender videoen til hendes mand om en time hvis hun ikke betaler, hun er ved at gå i panik"),
    ("modern", R, "jeg har betalt for en hundehvalp på den blå avis og sælgeren er forsvundet"),
    ("modern", R, "min far har været i telefon med 'banken' i sidste uge og har godkendt tre overførsler han ikke vidste hvad var"),
    ("modern", R, "someone has opened a credit card in my name, I found out today"),
    ("modern", O, "hvordan kan jeg se om en hjemmeside er falsk før jeg køber noget?"),
    ("modern", O, "tak for at I kom og snakkede om digital svindel på biblioteket"),
    ("modern", O, "skal vi advare de ældre i opgangen om falske håndværkere?"),
    # --- West Jutlandic spellings ------------------------------------------------------------
    ("dialect", A, "æ stald brænder å dæ er grise inde, kom hurtigt"),
    ("dialect", A, "a har fundet æ nabo i æ gang, han trækker it vejret"),
    ("dialect", A, "dæ er to der slås ve æ bodega å den ene ligger ned å bløder"),
    ("dialect", A, "æ lille pig er faldet i æ gadekær å a ka it se hinde"),
    ("dialect", R, "nøj hår stjålet æ påhængsmotor fra æ båd i æ havn"),
    ("dialect", R, "a er blevet truet af æ nabo i går, a vil anmelde det"),
    ("dialect", O, "hwornår kommer I ud te æ ældreklub?"),
    ("dialect", O, "tak for hjælpen ve æ byfest"),
    # --- elderly SMS: no punctuation, polite preamble, signature -----------------------------
    ("elderly", A, "Kære politi jeg er 88 og min mand er faldet i badekarret og jeg kan ikke få ham op og han svarer ikke ordentligt venlig hilsen Inger Lise Thyborøn"),
    ("elderly", A, "Goddag der er to unge mænd som har fulgt mig hjem fra Netto og nu står de og banker på min dør jeg er alene mvh Agnete"),
    ("elderly", A, "Hej jeg skriver fordi der kommer meget røg ud under døren hos min nabo og han svarer ikke når jeg ringer på hilsen Karen Margrethe"),
    ("elderly", A, "Kære betjent min barnebarn har ringet og sagt at hun er blevet overfaldet og er låst inde på et toilet i byen og manden er udenfor hilsen Ruth"),
    ("elderly", R, "Goddag jeg blev snydt af en mand der solgte mig en falsk alarm ved døren i sidste uge for 5000 kr mvh Vagn"),
    ("elderly", R, "Kære politi min cykel er blevet stjålet fra cykelkælderen i nat venlig hilsen Eigil"),
    ("elderly", O, "Hej jeg vil gerne høre om I kan komme og fortælle om indbrud i vores seniorbofællesskab hilsen Birgit"),
    ("elderly", O, "Kære Lars tak for hjælpen med at finde min kat det var rart at tale med dig mvh Hanne"),
    # --- benign programme talk: prevention, news, drills, campaigns, place names -------------
    ("benign", O, "Er der nyt om de falske håndværkere i Bording?"),
    ("benign", O, "Vi vil gerne starte nabohjælp i Hammel, hvem kan hjælpe os?"),
    ("benign", O, "Der er katastrofeøvelse i lufthavnen i Karup på torsdag med mange 'sårede' og røg"),
    ("benign", O, "Kan I komme og fortælle om knivloven på gymnasiet i Ikast?"),
    ("benign", O, "Tak for jeres hjælp til motionsløbet i Brabrand"),
    ("benign", O, "Hvor mange cykeltyverier har der været i Gassum i år?"),
    ("benign", O, "Is there a neighbourhood watch group in Ilskov?"),
    ("benign", O, "Kommer der en betjent til fastelavn i Voldum?"),
    ("benign", O, "Har I hørt noget om overfaldet ved Brande station i vinters?"),
    ("benign", O, "Vi vil gerne have hjælp til en tryghedsvandring i Røgen"),
    ("benign", O, "Er det rigtigt at der er mange indbrud i sommerhuse om vinteren?"),
    ("benign", O, "Skal vi have en plan for hvad vi gør hvis der bliver skudt på skolen?"),
    ("benign", R, "Jeg vil anmelde at nogen har stjålet vores nabohjælp-skilt i Skjern igen"),
    ("benign", O, "Tak for jeres besøg på plejehjemmet i Hammerum, beboerne var glade"),
]  # fmt: skip
