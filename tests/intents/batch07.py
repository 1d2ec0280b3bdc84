# ruff: noqa: E501
"""Probe batch 7: a fresh batch in every style family, written blind (by someone who had
not seen the keyword data or the classifier) after all earlier fixes, so that its before-fix
figures estimate the classifier on messages nobody tuned it to.

Written and labelled by the call-taker's rules in LABELLING.md before the classifier saw any
of it.

Before-fix figures (classifier at commit 7efd716, after every fix for batches 1-6):
  n=151 acute_recall=0.861 acute_caught=0.958 net_rate_non_acute=0.114 acute_precision=0.969
  report_f1=0.912 accuracy=0.887
  by family (acute recall / caught / accuracy): long 0.90/0.90/0.78, tense 0.70/0.90/0.90,
  nonoun 0.93/1.00/0.90, modern 0.67/1.00/0.87, dialect 1.00/1.00/0.93,
  elderly 0.80/1.00/0.83, english 0.83/0.83/0.87, benign (no acute; no false alarm of 16)
  -/-/1.00
"""

from __future__ import annotations

from intents import Route

A, R, O = Route.ACUTE, Route.REPORT, Route.OFFICER  # noqa: E741

PROBES: list[tuple[str, Route, str]] = [
    # --- long: club business / small talk first, the real point later ---
    ("long", A, "Hej Mette, tak for kaffen i går til mødet i borgerforeningen, det var rigtig hyggeligt. Jeg har fået lavet listen over hvem der vil gå med på tryghedsvandringen i maj. Nå men grunden til jeg skriver nu er at der står en mand ude på broen over Storåen, han er kravlet over rækværket og står og kigger ned i vandet"),
    ("long", A, "Godmorgen. Vi holder loppemarked i hallen i Videbæk på lørdag og ville høre om I har lyst til at komme forbi standen. Forresten jeg står ved kiosken lige nu og en ung fyr har revet pengekassen fra ekspedienten og slår løs på hende, hun ligger på gulvet"),
    ("long", A, "Hej igen! Tusind tak for flyers om nabohjælp, de er delt ud på hele Ågade. En ting til – naboen i nr. 14's røgalarm har hylet i et kvarter nu, der siver grå røg ud under tagudhænget og hans bil holder i indkørslen. Han er 89 og går med rollator"),
    ("long", A, "Godaften. Jeg ved godt det her normalt er til spørgsmål om arrangementer og sådan. Vi er ude og gå med hunden ved fjorden ved Stauning. Der er en lille jolle der er væltet derude ca 100 m fra land og jeg kan se en person der klamrer sig til den og vinker"),
    ("long", A, "Hej, kort opfølgning på mødet – jeg sender referatet i morgen. Ellers har vi haft en stille uge her i Sunds. Men lige nu kører der en hvid varebil i slangelinjer ned ad hovedgaden, den har ramt kantstenen to gange og er på vej mod skolen hvor børnene lige har fået fri"),
    ("long", A, "Tak for sidst til fællesspisningen 😊 Jeg tænkte på om du kunne komme og fortælle om svindel i vores seniorklub i juni? Nu jeg skriver: min mand er lige faldet om herinde i stuen, han trækker vejret helt mærkeligt og jeg kan ikke få kontakt til ham"),
    ("long", A, "Hejsa. Fodboldklubben i Aulum vil gerne have en snak om parkering til stævnet i august. Men det er ikke derfor jeg skriver. Der er to drenge der er gået ud på gadekæret og isen knager, den ene er lige brudt igennem og hænger i kanten med armene"),
    ("long", A, "Hej Lars. Jeg har været på arbejde hele dagen og kom hjem for 10 min siden. Alt så normalt ud da jeg kom ind. Men nu hører jeg nogen gå rundt ovenpå og der bor ingen andre end mig her. Døren til soveværelset er lukket og lyset er tændt derinde"),
    ("long", A, "Hej, vi er en flok fra vandrelauget på tur i Klosterheden i dag, dejligt vejr. En af damerne, Inge, er pludselig blevet helt skæv i ansigtet og hun snøvler når hun snakker og kan ikke løfte højre arm. Vi står ved p-pladsen ved Gryde Å"),
    ("long", A, "Det var en god aften i går med nattevandringen, tak for det. Vi har fået to nye frivillige, de er super søde. Men nu her fra torvet i Holstebro: en fyr har trukket en kniv mod en anden foran bageren og råber at han vil stikke ham ned"),
    ("long", R, "Hej. Jeg har en lidt kedelig sag. Vi havde lånt sommerhuset i Søndervig ud til nogle venner i weekenden. Da vi kom derud i dag var terrassedøren brudt op og fjernsynet og en højttaler er væk. Vennerne tog hjem søndag og siger alt var låst. Hvordan anmelder jeg det bedst?"),
    ("long", R, "Godmorgen og tak for sidst. Jeg skal lige fortælle at min søn i nat fik en flaske i hovedet uden for diskoteket i Skive. Han har været på skadestuen og er blevet syet, han er hjemme og sover nu. Vi vil gerne anmelde ham der gjorde det, vi ved hvem det er"),
    ("long", R, "Hej! Håber du har haft en god ferie. Her i Bording har det været lidt uroligt. Nogen har sprayet hagekors og tags på hele gavlen af forsamlingshuset i løbet af weekenden. Bestyrelsen har taget billeder. Skal vi selv anmelde det eller gør du?"),
    ("long", R, "Hej Jens, tak for hjælpen med skiltene sidste uge. Jeg vil lige sige at min far på 82 fik et opkald for en uge siden fra en der sagde han var fra banken, og han har overført 40.000 kr. Det opdagede vi først i går. Banken siger vi skal anmelde det til politiet"),
    ("long", R, "Hi, thanks for the bike-safety evening last week, my kids loved it. Bit ironic: when I went to get my own bike at the Thyborøn ferry last night around 10pm the lock had been cut and it was gone. Black Kildemoes ladies' bike, I have the frame number."),
    ("long", O, "Hej. Jeg var vidne til noget voldsomt i går på Bredgade. En bil kørte op bag i en anden ved lyskrydset og en mand besvimede bagefter. Ambulancen kom hurtigt og han var vist ok, og politiet tog forklaringer fra os alle. Kan man få at vide hvordan han har det?"),
    ("long", O, "Tak for i aftes. Det var noget af en oplevelse at være med ude. Containeren ved skolen blev jo hurtigt slukket af brandvæsenet og ingen kom noget til. Jeg har tænkt meget over det bagefter. Kunne vi lave et arrangement for de unge om ildspåsættelse?"),
    ("long", O, "Hej. Lige en stemning fra Lemvig. Der har været en del unge der kører stærkt på knallert rundt om havnen om aftenen hele sidste uge. I aften er der helt stille. Ingen er kommet til skade, men naboerne er trætte af det. Kan I kigge forbi en aften?"),

    # --- tense: triples now / over / general ---
    ("tense", A, "naboerne skriger og det lyder som om nogen bliver kastet ind i væggen, hun råber stop stop igen og igen"),
    ("tense", R, "min nabo fortalte mig i dag at hendes kæreste slog hende i weekenden, hun har blå mærker på armene. han er flyttet ud nu og hun vil gerne anmelde det"),
    ("tense", O, "hvad kan man gøre som nabo hvis man har en fornemmelse af at der foregår vold i familien ved siden af?"),
    ("tense", A, "der står en maskeret mand inde i Spar i Tim med noget der ligner en pistol, kassedamen er ved at lægge penge i en pose"),
    ("tense", R, "Sparen i Tim blev røvet i går aftes, jeg så en mand løbe derfra mod skoven i en grøn jakke. vil gerne give min forklaring"),
    ("tense", O, "hvordan skal ungerne der arbejder i butikken forholde sig hvis der kommer et røveri? vi vil gerne have en gennemgang"),
    ("tense", A, "en stor hund har fat i en lille pige på legepladsen i Vildbjerg og den vil ikke slippe"),
    ("tense", R, "vores søn blev bidt af naboens schæfer i tirsdags og det skulle syes. ejeren er ligeglad. vi vil anmelde det"),
    ("tense", O, "hvem skal man kontakte hvis der er en hund i kvarteret der virker farlig og altid går løs?"),
    ("tense", A, "en bil har lige kørt en cyklist ned i rundkørslen ved Herning Centret og er kørt videre, han ligger helt stille på asfalten"),
    ("tense", R, "i går blev min datter ramt på cykelstien af en bil der bare kørte videre, hun har brækket håndleddet. vi har en del af nummerpladen"),
    ("tense", O, "hvor mange flugtbilister bliver egentlig fundet? der bliver snakket meget om det i byen efter det i sommer"),
    ("tense", A, "min eks står ude foran døren nu og hamrer på den, han har skrevet at han vil slå mig ihjel og børnene er her"),
    ("tense", R, "min eks har sendt truende sms'er hele weekenden om at han vil gøre det af med mig. han er ikke her men jeg vil anmelde det, har screenshots"),
    ("tense", O, "hvordan får man et tilhold mod en person? spørger for en veninde der bliver ved med at blive opsøgt af sin eks"),
    ("tense", A, "halmstakken ved kostalden på Nørrevej står i flammer og vinden blæser det ind mod stalden, der er 120 køer derinde"),
    ("tense", R, "nogen har sat ild til vores halmballer ude på marken i nat, de er brændt helt ned og brandvæsnet har slukket. vi er sikre på det er påsat"),
    ("tense", O, "vi er nogle landmænd der vil lave en aftale om at holde øje med hinandens marker efter de påsatte brande sidste sommer, kan politiet hjælpe med at sætte det op?"),
    ("tense", A, "der er to gutter ved at skrue nummerpladerne af min bil på p-pladsen lige nu, jeg kan se dem fra køkkenvinduet"),
    ("tense", R, "begge nummerplader er skruet af bilen i løbet af natten, så det da jeg skulle på arbejde i morges"),
    ("tense", O, "hvorfor stjæler folk egentlig nummerplader? det er sket for tre på vores vej i år"),
    ("tense", A, "bilen foran mig på rute 11 mod Struer kører over midterstriben hele tiden og føreren drikker af en dåse, jeg holder afstand"),
    ("tense", R, "i går aftes kørte en tydeligt fuld mand ind i vores postkasse ude ved Hjerm og kørte bare videre, postkassen og stolpen er smadret"),
    ("tense", O, "er der planlagt spritkontroller op til jul her omkring? vil gerne dele det i vores facebookgruppe"),
    ("tense", A, "der er nogen nede ved lystbådehavnen i Hvide Sande der er ved at skrue påhængsmotoren af en båd lige nu, de har en trailer med"),
    ("tense", R, "påhængsmotoren på min båd i Hvide Sande er stjålet, opdaget her til morgen, den sad der i går kl 18"),
    ("tense", O, "hvordan mærker man en påhængsmotor så den er sværere at sælge videre hvis den bliver stjålet?"),
    ("tense", A, "en flok unge sparker løs på en dreng ved busstoppestedet ved gymnasiet, han ligger ned og holder hænderne over hovedet"),
    ("tense", R, "min søn blev slået ned ved busstoppestedet i fredags af nogle ældre drenge og de tog hans telefon. vi vil gerne anmelde det"),
    ("tense", O, "forældrerådet spørger om politiet kan komme ud og snakke med eleverne om vold og røverier ved busstoppestederne"),

    # --- nonoun: emergencies told without the usual nouns ---
    ("nonoun", A, "han ligger bare der på fortovet og reagerer ikke når jeg ruster ham, læberne er blålige"),
    ("nonoun", A, "min lille dreng piber når han trækker vejret og huden suger sig ind mellem ribbenene, han bliver mere og mere slap"),
    ("nonoun", A, "min mand sveder helt vildt og siger det trykker som en elefant på brystet, det stråler ud i venstre arm og kæben"),
    ("nonoun", A, "mor taler pludselig volapyk og mundvigen hænger ned i den ene side, det startede for en halv time siden"),
    ("nonoun", A, "min veninde ryster over hele kroppen og har bidt sig i tungen, det har stået på i 5 min og det stopper ikke"),
    ("nonoun", A, "min 2-årige har drukket af den blå flaske under vasken, han kaster op og hoster"),
    ("nonoun", A, "min kammerat har taget en masse piller oven i øl og nu kan vi ikke vække ham, han snorker helt mærkeligt"),
    ("nonoun", A, "der var et barn der hoppede ud fra kajen for lidt siden og jeg kan ikke se hende komme op igen"),
    ("nonoun", A, "fandt en mand på bænken i anlægget helt stiv og iskold, han ryster ikke engang og snakker bare sludder"),
    ("nonoun", A, "min søn har væltet den kogende gryde ud over sig, huden på armen hænger i laser og han skriger"),
    ("nonoun", A, "hun har spist en kage med nødder og nu er læberne helt opsvulmede og hun hiver og hiver efter vejret"),
    ("nonoun", A, "vandet er gået og hun presser, vi holder i nødsporet på motorvejen ved Ikast og jeg kan se hovedet"),
    ("nonoun", A, "min bror har skrevet farvel til os alle sammen i familiechatten og han har låst sig inde på badeværelset, han svarer ikke"),
    ("nonoun", A, "en bil har lige slået kolbøtter ud over marken ved Holstebrovej, hjulene drejer stadig og der kommer ingen ud"),
    ("nonoun", A, "to mænd går til den mod en tredje nede foran baren, han bløder fra hovedet og de bliver bare ved"),
    ("nonoun", A, "jeg kan høre glas der bliver knust nedenunder og nogen der roder i skufferne, jeg har låst mig inde på badeværelset"),
    ("nonoun", A, "en mand går rundt på perronen i Struer med noget der ligner et gevær under frakken og råber ad folk"),
    ("nonoun", A, "min dreng på 4 var i haven for 5 minutter siden, nu står lågen åben og han er væk, vi bor lige ned til åen"),
    ("nonoun", A, "der kommer en bil imod mig i min side af motorvejen ved Herning N, den blinker med lygterne og kører stærkt"),
    ("nonoun", A, "der går 8-10 kvier rundt på vejen mellem Tarm og Skjern i mørket, bilerne når lige akkurat at bremse"),
    ("nonoun", A, "der ligger en hel palle mursten midt i vognbanen på rute 16, bilerne svinger udenom i sidste sekund"),
    ("nonoun", A, "der står en hund ude midt på søen og isen er helt tynd, ejeren er begyndt at gå ud efter den"),
    ("nonoun", A, "strømmen har trukket en surfer langt ud ved molen i Hvide Sande, han kommer ikke ind igen og har plasket derude længe"),
    ("nonoun", A, "min svoger har fået ærmet i kraftoverføringen på traktoren og sidder fast, det bløder voldsomt fra armen"),
    ("nonoun", A, "there's a baby alone in a locked car in the Bilka parking lot, it's 28 degrees, the baby is bright red and has stopped crying"),
    ("nonoun", A, "en lille pige på måske 3 år går alene langs landevejen på bare tæer, der er ingen voksne nogen steder"),
    ("nonoun", A, "en ældre dame i natkjole går rundt midt på vejen i Bording og ved ikke hvor hun bor"),
    ("nonoun", A, "der vælter sort røg ud af vinduerne ovenpå hos naboen og jeg kan høre nogen banke på ruden indefra"),
    ("nonoun", A, "det stinker af gas i hele opgangen og fru Hansen på 2. sal åbner ikke, hendes radio kører derinde"),
    ("nonoun", R, "har lige opdaget at bagruden på bilen er væk og der ligger glas på bagsædet, min taske er væk. holdt der hele natten"),
    ("nonoun", R, "kom hjem fra ferie i går aftes og alle skufferne stod åbne og smykkeskrinet var tømt, køkkenvinduet var presset op"),

    # --- modern: fraud and online crime ---
    ("modern", A, "min far er i telefonen med 'Nets' lige nu og de har bedt ham godkende noget i MitID appen, han er ved at gøre det og vil ikke lægge på"),
    ("modern", A, "der står en mand i uniform hos min farmor i Vinderup og siger han er fra politiet og skal passe på hendes kontanter, hun er ved at hente pengene i skabet, jeg har hende i telefonen"),
    ("modern", A, "min datter på 15 græder og siger at en hun har sendt billeder til truer med at dele dem med hele skolen hvis hun ikke betaler inden en time, hun siger hun vil gøre skade på sig selv"),
    ("modern", A, "har lige set på min søns ipad at han har aftalt at mødes med en 'Mikkel 14' om 20 min ved stationen i Herning, men det er tydeligvis en voksen mand. min søn er 11 og allerede gået hjemmefra"),
    ("modern", A, "min mor har lige givet en fremmed adgang til sin computer, han sidder og styrer musen lige nu og er inde i hendes netbank"),
    ("modern", A, "en fyr på messenger påstår han er min søn der har mistet sin telefon, min mand er i gang med at mobilepaye 15.000 til ham, og min søn sidder ved siden af mig!!"),
    ("modern", R, "min mor blev ringet op i sidste uge af en falsk bankrådgiver og gav sine MitID oplysninger, nu er der hævet 62.000 fra kontoen"),
    ("modern", R, "min søn blev afpresset på snapchat i weekenden og betalte 2000 kr til en profil der truede med at dele billeder. det er stoppet nu men vi vil anmelde det"),
    ("modern", R, "har købt en mobil på dba og betalt med mobilepay, sælgeren har blokeret mig og der er ikke kommet noget"),
    ("modern", R, "Nogen har lavet en falsk profil af mig på Instagram og skriver til mine venner og beder om penge, to har allerede overført"),
    ("modern", R, "min farfar gav sit dankort og koden til en mand der sagde han var fra politiet, det var i tirsdags. kortet er spærret nu men der er hævet 9000"),
    ("modern", O, "hvordan kan man se om en sms fra 'PostNord' er falsk? der kommer så mange af dem"),
    ("modern", O, "vi vil gerne have jer ud til et forældremøde om grooming og sextortion, kan I det efter sommerferien?"),
    ("modern", O, "er det rigtigt at politiet aldrig ringer og beder om koder? min nabo spørger og jeg vil gerne svare rigtigt"),
    ("modern", O, "jeg vil gerne lave en lille folder til seniorklubben om telefonsvindel, har I noget materiale vi må bruge?"),

    # --- dialect / colloquial / no æøå / typos ---
    ("dialect", A, "hjaelp der ligger en mand i graften ve Sørvad, a tror han e væltet mæ knallerten, han rører sæ it"),
    ("dialect", A, "der e ild i æ lade hos Kristian ve siden a os, flammerne slaar op gennem taget, kom nu"),
    ("dialect", A, "a ka se to knejte der e ved å kom ind i æ kiosk lige nu, de har slaaet ruden ind mæ en sten"),
    ("dialect", A, "min kone hun hiver ætter vejret og læberne e blå, hun ka it snak, hwa ska a gør"),
    ("dialect", A, "dem der fulde gutter slås mæ knive nede ve æ havn i Thyborøn, der e en der bløder kraftig"),
    ("dialect", A, "omg der sidder en gammel mand fast i sin bil nede i aaen ved vejen ud mod Harboøre, vandet staar op til vinduerne!!!"),
    ("dialect", R, "æ cykel er stjaalen fra æ station i Lemvig i nat, wos ska a gør for å anmeld det"),
    ("dialect", R, "nogn har smadret alle æ ruder i æ busskur ve skolen i weekenden, hvem ska ha besked"),
    ("dialect", R, "blev snydt paa dba for 800 kr, saelgeren svarer it mere og profilen er slettet"),
    ("dialect", R, "min knallert er vaek fra carporten, satte den der i gaar aftes. hvordn anmelder man det"),
    ("dialect", R, "nogn har tanket dieselen ud a æ traktor ude på marken i nat, ca 300 liter"),
    ("dialect", O, "hej do, ka do kom ud te æ forsamlingshus en aften i november å fortæl om nabohjælp?"),
    ("dialect", O, "hwa ska a gør hvis a ser nogn der kører for stærkt forbi æ skole hver morgen, det e it akut men"),
    ("dialect", O, "tak for i gaar, det var en go aften 👍 ses vi naeste uge"),

    # --- elderly SMS style ---
    ("elderly", A, "Kære Politi  Undskyld jeg skriver så sent  men jeg er faldet ude på badeværelset og kan ikke rejse mig  mit ben ligger mærkeligt og jeg er alene  venlig hilsen Grethe Mortensen Skjern"),
    ("elderly", A, "GODDAG  JEG ER NABO TIL EN ÆLDRE HERRE  HANS AVIS HAR LIGGET I POSTKASSEN I 4 DAGE OG JEG KAN SE HAM LIGGE PÅ GULVET GENNEM VINDUET HAN RØRER SIG IKKE  MVH ARNE"),
    ("elderly", A, "Hej med Dem. Jeg håber De har det godt. Der er lige kommet 2 mænd ind i min have. De lyser med lommelygte ind ad mine vinduer. og prøver på terrassedøren. Jeg er bange. Hilsen Ellen 86 år"),
    ("elderly", A, "godaften  min mand har fået sukkerføling tror jeg  han er helt klam og forvirret og vil ikke spise noget  han bliver mere og mere sløv  venlig hilsen Birthe"),
    ("elderly", A, "Goddag,,, der er en mand der sagde han skulle tjekke vandet,,, han er kommet ind og går nu rundt ovenpå alene,,, jeg kender ham ikke og han vil ikke sige hvor han er fra,,, Kirsten"),
    ("elderly", R, "Kære politi  Jeg var ude at handle i Netto i går og da jeg kom hjem var min pung væk  der var mit sygesikringskort og 300 kr i  jeg tror der var en der skubbede til mig ved kassen  venlig hilsen Anna Jensen"),
    ("elderly", R, "GODMORGEN JEG VIL GERNE ANMELDE AT NOGEN HAR STJÅLET MINE BLOMSTERKRUKKER FRA GRAVEN PÅ KIRKEGÅRDEN I HUSBY DET ER ANDEN GANG MVH POUL"),
    ("elderly", R, "Hej. Mit navn er Erik og jeg er 79. I sidste uge fik jeg besøg af to håndværkere der sagde taget skulle repareres. Jeg betalte 18.000 kr kontant. De kom aldrig igen og nummeret virker ikke. Min datter siger jeg skal skrive til jer. Med venlig hilsen Erik Pedersen"),
    ("elderly", R, "goddag  der har været nogen inde i min garage i nat  min cykel og min trailer er væk  døren var brudt op da jeg kom ud i morges  hilsen Jytte"),
    ("elderly", O, "Kære betjent  Tak for det gode foredrag om tricktyveri i Ældresagen i tirsdags  vi var mange der fik noget ud af det  Kan De sende de gode råd på et stykke papir  venlig hilsen Lis"),
    ("elderly", O, "Goddag. Jeg er lidt utryg. Der har været så meget om indbrud i avisen. Jeg bor alene i et hus ude på landet ved Spjald. Må jeg få en snak med nogen om hvordan jeg passer på mig selv. Hilsen Karen, 81"),
    ("elderly", O, "GOD SØNDAG  JEG HAR SET DEN SAMME BLÅ BIL KØRE LANGSOMT FORBI HER PÅ VEJEN FLERE GANGE I DENNE UGE  DET ER SIKKERT INGENTING  MEN JEG TÆNKTE I SKULLE VIDE DET  MVH HOLGER"),

    # --- english ---
    ("english", A, "my colleague just collapsed at the warehouse in Brande and he's not breathing properly, we don't speak danish well what do we do"),
    ("english", A, "two guys with a crowbar are forcing the door of the electronics shop on Østergade in Ikast right now, the alarm is ringing"),
    ("english", A, "Hi, love the work you do with the ambassadors, we had a great time at the summer event. Anyway, our neighbour's kid (maybe 6) is out on the roof of their house on his own and the parents aren't home"),
    ("english", A, "smoke coming from the flat below us in Herning and the alarm is going off, we can't get down the stairs it's full of smoke"),
    ("english", A, "someone has been following me from the train station in Struer for 10 min and he just started running towards me"),
    ("english", A, "my friend took something at the party and she's shaking, her heart is racing like crazy, she's confused and burning hot"),
    ("english", R, "Hi, my bike was stolen outside the gym in Holstebro yesterday afternoon. How do I report it? I don't have MitID yet"),
    ("english", R, "someone hit my parked car at Bilka last night and just left, big dent in the door and no note"),
    ("english", R, "I was scammed on Facebook Marketplace, paid 3000 kr for a sofa that doesn't exist. I want to file a report"),
    ("english", R, "our shed was broken into over the weekend while we were away, tools and the lawnmower are gone"),
    ("english", R, "I want to report that a man grabbed my daughter's arm and shouted at her near the school on Monday. She's ok but scared"),
    ("english", O, "hi, is there a neighbourhood watch in Viborg I can join? just moved here from the UK"),
    ("english", O, "what's the number for non-emergency police in Denmark? asking so I have it saved"),
    ("english", O, "Thanks for the chat at the market today, it was nice to meet a local officer"),
    ("english", O, "we're testing the alarm system at the community centre tomorrow between 9 and 11, so don't worry if people call about sirens 🙂"),

    # --- benign: alarming-sounding but officer ---
    ("benign", O, "har I nogle gode råd til at sikre vores værksted i Kibæk? der står meget dyrt værktøj og vi har ingen alarm"),
    ("benign", O, "er der nyt om den store brand i Brande i sommers? folk spørger mig hele tiden"),
    ("benign", O, "Vi har evakueringsøvelse på Skadborg Skole torsdag kl 10, så der kommer nok sirener og mange børn i gården"),
    ("benign", O, "bor i Røgen og gadelyset er gået ud på halvdelen af vejen, ikke akut men det føles utrygt om aftenen"),
    ("benign", O, "hvad nu hvis man finder en der ligger bevidstløs og man ikke kan huske sin førstehjælp – ringer man 112 før man gør noget?"),
    ("benign", O, "Det brændte i en skraldespand ved hallen i aftes, vi fik det slukket med en spand vand og ingen kom noget til. Ville bare lige fortælle det"),
    ("benign", O, "Nabohjælpsgruppen i Brandstrup vil gerne have skilte op ved indfaldsvejene, hvor bestiller man dem?"),
    ("benign", O, "kommer politiet til Knivholt-løbet på søndag? vi skal bruge hjælp til afspærring"),
    ("benign", O, "Jeg har lige været på førstehjælpskursus, vi øvede hjertemassage på dukker – vildt nyttigt. Kan vi få et kursus i ambassadørgruppen?"),
    ("benign", O, "vores kampagne 'Lås døren' går i gang i uge 40, må vi bruge jeres logo på plakaterne?"),
    ("benign", O, "hvordan går det med sagen om cykeltyverierne ved stationen i Skjern? vi snakkede om det i foreningen"),
    ("benign", O, "min søn vil gerne være betjent, hvad skal han gøre efter gymnasiet?"),
    ("benign", O, "fyrværkeri nytårsaften: hvornår må man skyde op og hvad er reglerne? skal skrive et indlæg til lokalbladet"),
    ("benign", O, "Mødet om tryghed i Skudstrup er flyttet til onsdag kl 19 i skolens kantine"),
    ("benign", O, "så helikopteren over Brabrand Sø i går, var der sket noget? bare nysgerrig"),
    ("benign", O, "i går var der røgudvikling på plejehjemmet men det var bare en brødrister, brandvæsenet kiggede forbi og der var ingen tilskadekomne. Personalet var super dygtige"),
]  # fmt: skip
