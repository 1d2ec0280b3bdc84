# ruff: noqa: E501
"""Probe batch 19: a blind batch by a helper who had seen neither the keyword data, the
classifier nor the earlier batches, weighted to emergencies told without their usual nouns:
written as a lorry driver, a cyclist, a swimming instructor, a crane operator, a gardener, a
forest worker, a teacher on a trip, a nursing-home night guard, a father at a tournament, a
kayaker, a taxi driver, a farmer's wife, a pensioner, a pharmacy worker, a van driver, a
camp-site owner, a young mother and a dog walker, all over Denmark. Families: situations
without nouns (90, spread over the call-taker chapters and police situations), long messages
(50), tense triples (30), devstyle (30).

Before-fix figures (classifier at commit d1f96d6, after every fix for batches 1-18 and 20):
  n=200 acute_recall=0.772 acute_caught=0.842 net_rate_non_acute=0.116 acute_precision=0.957
  report_f1=0.886 accuracy=0.830
  per family (acute recall / caught / accuracy): nonoun 0.77/0.82/0.80,
  long 0.83/0.94/0.90, tense 0.70/0.80/0.77, devstyle 0.75/0.88/0.87
"""

from __future__ import annotations

from intents import Route

A, R, O = Route.ACUTE, Route.REPORT, Route.OFFICER  # noqa: E741

PROBES: list[tuple[str, Route, str]] = [
    # --- family: nonoun (acute) ---
    # unconscious
    ("nonoun", A, "chauffoeren i lastbilen ved siden af mig paa rastepladsen ved Kolding haenger ind over rattet med motoren i gang, har banket paa ruden i 2 min og han rokker sig ikke"),
    ("nonoun", A, "kunden på bagsædet er helt slap, hovedet falder bare ned på brystet og jeg kan ikke få kontakt med hende. holder ved Vesterbros Torv"),
    ("nonoun", A, "hunden fandt en mand i skovbunden i Rold Skov, han ligger på ryggen med øjnene halvt åbne og kigger ingen steder hen, jeg kan ikke vække ham"),
    # breathing
    ("nonoun", A, "min lille på 8 mdr hvæser for hver gang og maven suger ind under ribbenene, hun er grålig om læberne. Odense"),
    ("nonoun", A, "beboer på stue 12 sidder op i sengen og gisper, det bobler og raller i brystet på ham og fingerspidserne er blå. er alene på vagt i Svendborg"),
    ("nonoun", A, "fyr ved siden af mig på Dronning Louises bro har sat sig på hug, han kan ikke få et ord frem og hiver og hiver og bliver mere og mere lilla"),
    # chest pain
    ("nonoun", A, "min mand sidder oppe på traktoren og holder sig for brystet, han er klam og hvid og siger det trykker helt ud i venstre arm. vi er paa marken ved Tarm"),
    ("nonoun", A, "kollega nede på dækket sidder på en palle og sveder helt vildt, siger det er som om der står en elefant på ham. byggepladsen på Islands Brygge, jeg sidder oppe i kranen"),
    # stroke
    ("nonoun", A, "kunde i apoteket i Vejle snakker pludselig helt mudret, den ene mundvig hænger og hun kan ikke løfte højre arm op på disken"),
    ("nonoun", A, "far sidder ved morgenbordet og kan ikke finde ordene, kaffekoppen glider ud af hånden og ansigtet er skævt i venstre side. Hillerød"),
    ("nonoun", A, "a guest at my campsite in Skagen suddenly can't smile properly, one side of his face is drooping and his words come out wrong. his wife says it started 10 min ago"),
    # seizures
    ("nonoun", A, "dreng fra mit svømmehold ligger på kanten og rykker i hele kroppen, det har stået på i 5 min og læberne er blå. Horsens svømmehal"),
    ("nonoun", A, "spiller fra det andet hold ligger på banen og spjætter med arme og ben, øjnene er rullet helt op. Middelfart stadion bane 2"),
    # poisoning / overdose
    ("nonoun", A, "ham jeg lige har sat af ved Christiansborg kan ikke holde hovedet oppe, pupillerne er bittesmå og han snorker helt underligt, vennen siger han har taget noget"),
    ("nonoun", A, "min 2-årige har tygget på mormors hjertepiller, ved ikke hvor mange, hun er meget sløv og vil bare sove. Randers"),
    # drowning / hypothermia
    ("nonoun", A, "min makker er vaeltet rundt ude ved Svendborgsund og er ikke kommet op af cockpittet, kajakken ligger med bunden i vejret og jeg kan ikke se ham"),
    ("nonoun", A, "vi har lige trukket en mand op ved badebroen i Hornbæk, han er iskold og mumler og kan ikke stå selv, han har været derude over en time"),
    ("nonoun", A, "ældre dame står ude i mosen til livet i Gribskov og kommer ikke op, hun er begyndt at sige mærkelige ting og det er 2 grader"),
    ("nonoun", A, "isen på Furesøen har givet sig under en mand med en hund, han hænger i kanten med armene og kan ikke komme op"),
    # burns / electric
    ("nonoun", A, "kollega rørte ved kablet til skurvognen og ligger nu helt stiv på jorden, håndfladen er sort. byggepladsen i Aalborg Øst"),
    ("nonoun", A, "min dreng på 3 har trukket gryden med kogende vand ned over sig, huden på brystet er helt hvid og går af i flager"),
    ("nonoun", A, "kollega fik stikflammen fra oliefyret i ansigtet, øjenbrynene er væk og huden bobler og han kan ikke åbne øjnene. Padborg"),
    # allergy
    ("nonoun", A, "elev fik en hveps i munden på turen til Djurs og nu er øjne og læber hævet helt op og han siger halsen er tyk"),
    ("nonoun", A, "kunde har spist en cookie med nødder og nu kradser hun sig på halsen, hun er plettet rød over det hele og stemmen er næsten væk. apoteket i Aalborg C"),
    ("nonoun", A, "pige på holdet har fået en bid af en madpakke med jordnødder, hun bliver rød og ru i stemmen og hendes pen ligger i mors bil som er kørt hjem"),
    # childbirth
    ("nonoun", A, "vandet er gået hos min svigerdatter og hun presser allerede, der er 45 min til Holstebro og jeg kan se hovedet"),
    ("nonoun", A, "kunden siger veerne kommer hvert minut og nu vil hun presse, vi holder fast i kø på Amagerbrogade"),
    # diabetes
    ("nonoun", A, "beboer er svedig og forvirret og hugger ud efter mig, hans måler viser 1,8 og han vil ikke spise noget"),
    ("nonoun", A, "mand sidder på kantstenen på cykelstien i Valby Langgade og sveder og ryster, han har en insulinpen i tasken og snakker som en fuld"),
    ("nonoun", A, "en af mine elever med type 1 er helt bleg og kan ikke sige en hel sætning, vi er på vandretur ved Møns Klint og druesukkeret er brugt op"),
    # bleeding / falls
    ("nonoun", A, "kollega har fået saven i låret, det pumper ud gennem buksebenet, vi er i skoven ved Gjern for enden af grusvejen"),
    ("nonoun", A, "konen er gået ned ad kældertrappen og ligger nederst i en mærkelig vinkel, hun kan ikke mærke sine ben"),
    ("nonoun", A, "tømrer er gledet ned fra stilladset på 3. sal og ligger nede i gruset og vrider sig, Aarhus Ø"),
    # suicide threat
    ("nonoun", A, "min veninde skriver at børnene har det bedre uden hende og at hun står på perronen i Roskilde nu"),
    ("nonoun", A, "der står en mand på den forkerte side af rækværket på broen over E45 ved Vejle og kigger ned, hans taske står på fortovet"),
    ("nonoun", A, "beboer på 4. sal har lukket vinduet helt op og sidder med benene ude, han siger han vil ned til sin kone"),
    ("nonoun", A, "min søn på 17 har lagt et brev til os på køkkenbordet og taget rebet fra garagen med, telefonen er slukket. Næstved"),
    # psychotic person
    ("nonoun", A, "mand går midt på Strøget og råber at han er Gud og at vi alle skal dø, han banker et jernrør mod butiksruderne og folk flygter ind i butikkerne"),
    ("nonoun", A, "kunde står og snakker med nogen der ikke er der, har flået tøjet af og kravler op på disken. apoteket i Esbjerg"),
    ("nonoun", A, "naboen i sommerhusområdet ved Kerteminde har ikke sovet i flere døgn, han står på vejen og skriger at der er kameraer i træerne og har hældt benzin rundt om huset"),
    # traffic accidents
    ("nonoun", A, "bil har kurret rundt i svinget ved Faaborg og ligger med hjulene i vejret i grøften, det damper fra motoren og der er en der banker inde fra ruden"),
    ("nonoun", A, "ældre dame på cykel og en lastbil der drejede til højre ved Søtorvet, hun ligger under forhjulet"),
    ("nonoun", A, "bil foran mig på E20 ved Nyborg snurrede rundt og ind i autoværnet, der ligger en person ude midt i vognbanen og bilerne drøner forbi"),
    # violence
    ("nonoun", A, "3 fyre tramper på en der ligger udenfor Pumpehuset, han har holdt op med at bevæge sig"),
    ("nonoun", A, "to fædre er røget i totterne ved bane 4 og den ene har den anden om halsen op mod hegnet, han er helt mørkerød i hovedet"),
    ("nonoun", A, "hører dunk dunk gennem væggen og en kvinde der klynker stop stop stop, det har varet et kvarter. Vollsmose"),
    # animal attacks
    ("nonoun", A, "to store hunde uden snor har fat i en lille pige nede ved søen i Dyrehaven og de giver ikke slip"),
    ("nonoun", A, "tyren er kommet ud og har min mand op mod foderbordet, han ligger ned og den står over ham"),
    # break-in
    ("nonoun", A, "kan se lys fra lommelygter bevæge sig inde i kiosken på campingpladsen, den er lukket og jeg er den eneste med nøgle"),
    ("nonoun", A, "der er nogen der bærer fladskærmen ud gennem terrassedøren hos naboen i Tisvilde, de kommer først herop til påske"),
    ("nonoun", A, "2 fyre står og vrikker med en skruetrækker i låsen på 3. th i opgangen på Nørrebro, de kigger sig over skulderen hver gang nogen kommer"),
    # threats
    ("nonoun", A, "min ex holder udenfor børnehaven med motoren i gang og skrev lige 'i dag får du at se hvad der sker'. tør ikke gå ud med min datter"),
    ("nonoun", A, "manden der ikke fik sine piller står nede ved sin bil og venter på at vi lukker, han sagde han ville 'tage' hende der ekspederede ham"),
    # weapons
    ("nonoun", A, "i Kongens Have står en fyr og vifter med noget langt og blankt mod en flok unge, de spreder sig"),
    ("nonoun", A, "3 høje knald lige bag granerne i Rude Skov, det er ikke jagttid og bagefter råbte en mand"),
    ("nonoun", A, "mand på Odense banegård har vist mine elever noget sort i bukselinningen og sagt de skal aflevere deres telefoner, han står der stadig"),
    # fraud in progress
    ("nonoun", A, "min far på 84 i Haderslev ringer fra fastnettelefonen, på mobilen er han lige nu ved at give koder til 'banken' og han vil ikke lægge på. jeg er i Kbh"),
    ("nonoun", A, "en mand i gul vest står inde i stuen hos fru Olsen på 88 ved siden af os i Hundested og siger han skal tjekke hendes smykker for falske sten, han har allerede lommerne fulde"),
    ("nonoun", A, "min kunde er en gammel dame der skal til banken på Frederiksberg og hæve alt hvad hun har fordi en betjent har ringet, han venter på hende udenfor banken nu"),
    # missing vulnerable person
    ("nonoun", A, "dreng på 4 fra vognen på plads 8 har ikke været set i 25 min, moren har ledt ved legepladsen og stranden er kun 100 m væk"),
    ("nonoun", A, "beboer med demens, Inger 87, lå ikke i sin seng kl 3 og døren til haven står på klem, hun har kun natkjole på og det fryser"),
    ("nonoun", A, "vi er i Zoo i Aalborg og en af mine elever fra 2. klasse var ikke med da vi talte op ved udgangen for 20 min siden"),
    ("nonoun", A, "der sidder en pige på 3-4 år helt alene på en træstub i Rold Skov og græder, ingen voksne og det er ved at blive mørkt"),
    # dangerous driving
    ("nonoun", A, "bil foran mig på E45 nord for Randers svinger ud i nødsporet og tilbage igen hele tiden og er lige ved at ramme autoværnet, kører ca 70"),
    ("nonoun", A, "en fyr i en sort Audi kører op på fortovet ved skolen på Amager og drifter rundt på p-pladsen mens børnene kommer ud"),
    # objects / animals on roads
    ("nonoun", A, "en hel palle mursten ligger midt i venstre spor på Storebæltsbroen, bilerne svinger udenom i sidste sekund"),
    ("nonoun", A, "køerne har væltet hegnet og står ude på landevejen ved Vildbjerg i mørket, der kommer biler med 80"),
    ("nonoun", A, "hest uden rytter galoperer ned ad Vejlevej mod rundkørslen i Horsens, midt i myldretiden"),
    # trapped people
    ("nonoun", A, "en mand sidder fast med benet under skovlen på rendegraveren, føreren er løbet op efter nogen. byggegrunden i Kolding"),
    ("nonoun", A, "elevatoren er stoppet mellem 2. og 3. sal med en beboer i kørestol derinde, hun banker og har astma og det er blevet varmt"),
    # gas / chemicals
    ("nonoun", A, "det stikker i øjne og hals i hele svømmehallen, der står en gulgrøn dis ud fra pumperummet og børnene hoster. Nyborg"),
    ("nonoun", A, "det lugter af rådne æg ude ved gyllebeholderen og vores medhjælper ligger nede ved kanten"),
    ("nonoun", A, "kælderen i opgangen i Valby lugter sødt og skarpt, noget hvæser bag en dør og naboen har ondt i hovedet og er svimmel"),
    # power lines
    ("nonoun", A, "stormen har taget ledningen ned over indkørslen i Gørlev, den ligger og gnistrer i vandpytten og min dreng står på den anden side"),
    ("nonoun", A, "kranens wire har ramt højspændingen ved pladsen i Kalundborg, der sidder en i gravemaskinen som den ligger hen over og det brummer"),
    # fire / smoke behaviour
    ("nonoun", A, "det blafrer orange bag tujahækken og knitrer, hele hækken står i lys lue op mod huset. Brønshøj"),
    ("nonoun", A, "der vælter sort os ud af en campingvogn ved Skiveren og gasflaskerne står lige ved siden af"),
    ("nonoun", A, "det oser hvidt ud under døren til kiosken på Jagtvej og der bor folk ovenpå, klokken er 3"),
    # --- family: nonoun (non-acute look-alikes) ---
    ("nonoun", O, "min mands ene mundvig hang i går aftes og han talte lidt sjovt, han var på sygehuset i Kolding og er hjemme nu med ny medicin. derfor kommer jeg ikke til mødet torsdag"),
    ("nonoun", O, "hvordan kan man se på en kollega at han er ved at gå sukkerkold? vi er mange ude i marken om sommeren og nogen har type 1"),
    ("nonoun", O, "fandt en gammel mand der sov på bænken ved havnen i Faaborg i morges, han snorkede og vågnede da jeg sagde hej. han var bare træt efter et bryllup 😄"),
    ("nonoun", O, "det lugter af svedent græs i hele Havneby, men det er naturstyrelsens afbrænding af hede som de har varslet. bare hvis folk spørger jer"),
    ("nonoun", O, "vores køer var ude på vejen i nat men naboen fik dem ind igen før der skete noget. skal man gøre mere end det?"),
    ("nonoun", O, "if a pupil on our school trip to Bornholm suddenly gets a puffy face and a hoarse voice, do we use the pen first or call first? preparing the trip"),
    ("nonoun", O, "flere i sommerhusområdet ved Marielyst har set lys bevæge sig i de tomme huse om aftenen, men det er et vagtfirma der går runder har jeg fundet ud af. tak for svar sidst"),
    ("nonoun", R, "nogen har i nat klippet hul i hegnet og lukket vores får ud, de er fanget igen nu men hegnet er ødelagt hele vejen langs skoven"),
    ("nonoun", R, "i morges stod skuffen bag disken åben og tom og dørkarmen bagtil er splintret. apoteket i Nykøbing F, der er ingen her nu"),
    ("nonoun", R, "i morges lå lampen fra carporten knust på fliserne og postkassen var revet af, der er fodspor i bedet. sket i nat"),
    ("nonoun", R, "da jeg kom ud til varevognen efter en opgang på Frederiksberg var sideruden knust og pakkerne fra lastrummet borte"),
    ("nonoun", R, "fik en sms fra 'min søn' med nyt nummer i går og overførte 7.000 til en regning for ham, nu siger min rigtige søn at det ikke var ham"),
    # --- family: long (acute) ---
    ("long", A, "Hej Lotte, tak for sidst til mødet i Haderslev, det var rigtig godt med gennemgangen af nabohjælp. Jeg har delt folderne ud i svømmeklubben. Lige nu sidder jeg i bilen på p-pladsen ved hallen og der går en mand rundt og trykker på alle håndtagene. Han har lige åbnet bagdøren på en blå Passat og kravlet ind. Han er der stadig."),
    ("long", A, "Hej. Vi er til stævne i Vejle med U11 og det går faktisk rigtig godt, 3 sejre indtil videre ⚽. Men ovre ved kiosken er en ældre mand sunket sammen på en bænk. Hans kone siger han pludselig blev grå og tog sig til brystet, og nu ligger han bare og gisper. Der er ikke nogen læge her."),
    ("long", A, "Godaften fra campingpladsen i Hou, sæsonen er kommet godt i gang og vi har næsten fuldt. Tak for plakaterne i øvrigt. En pige kom lige løbende og siger der ligger en dreng helt stille på bunden af poolen. Livredderen har fri kl 18. Jeg løber derned nu."),
    ("long", A, "Jeg skriver egentlig for at høre om I kommer til grundejerforeningens generalforsamling i Rørvig d. 12. Vi har mange spørgsmål om de tomme huse om vinteren. Men mens jeg sidder her kan jeg se flammer slå ud af tagrenden på nr 14 overfor. De er i Tyskland. Det tager til."),
    ("long", A, "Godnat fra Aalborg 🌙 Stille nat indtil nu, bare fulde studerende. Nu holder jeg ved Jomfru Ane Gade og en fyr ligger på fortovet med ansigtet nede i sit eget bræk. Hans venner griner og går, og han er blålig om læberne. Jeg bliver hos ham."),
    ("long", A, "Hej, jeg er ny i ambassadørgruppen i Køge og ville bare præsentere mig. Jeg har to små og går meget tur i parken. Undskyld men det er noget andet nu: naboen på den anden side af hækken har lige taget sin kone i håret og trukket hende ind i huset. Hun skreg og nu er der helt stille. Jeg ved ikke hvad jeg skal gøre."),
    ("long", A, "Hej Per. Er det rigtigt at I laver kontrol af hviletider ved Padborg i næste uge? Kollegerne spørger. Og så lige nu: der holder en personbil i nødsporet ved Christiansfeld med en mand liggende ved siden af baghjulet, han bevæger sig ikke og lastbilerne suser forbi en meter fra ham. Jeg har sat advarselstrekant op."),
    ("long", A, "Godmorgen! Fantastisk morgen i Hareskoven 🍂 Jeg har mødt de andre hundeluftere ved parkeringspladsen. En af dem har lige fundet en gammel mand der sidder på en stub i pyjamas og snakker om sin mor. Han ved ikke hvor han bor og han ryster af kulde. Vi bliver ved ham."),
    ("long", A, "Vi er en flok fra kajakklubben i Svendborg som er ude at padle fra Thurø. Tak for snakken om sikkerhed på vandet sidste måned, vi tog det til os. Nu står vi på stranden og kan se en jolle 200 m ude der er vendt på hovedet. Der sidder to børn på bunden af den og vinker, ingen voksne at se. Vi padler ud."),
    ("long", A, "Hej, det er Kim fra nattevagten på plejehjemmet i Holbæk. Jeg ville egentlig bare sige tak for tippet om låsen på personaleindgangen, den er skiftet nu. Men lige nu står der en mand ude i haven og lyser ind ad vinduerne på beboerstuerne. Han har lige prøvet terrassedøren på stue 4 og går videre langs huset."),
    ("long", A, "hej. jeg er gartner paa villavejene i Hellerup og kender de fleste kunder, det er mest hyggeligt. men i dag kom jeg til fru Hansen paa 91 og hun ligger i entreen og kan ikke komme op. hun siger hun har ligget der siden i gaar aftes og hun er kold og forvirret. doeren var ikke laast"),
    ("long", A, "Hejsa, jeg kører pakker rundt i Odense SØ og ser en del. Vil gerne høre om der kommer et nyt nabohjælpsmøde snart. Nå, men jeg står lige nu ved en rækkehusdør hvor der kommer en kraftig gaslugt ud gennem brevsprækken. Der er en radio tændt derinde og ingen lukker op."),
    ("long", A, "Vi er 24 elever fra 7.b på lejrskole på Bornholm og det har været en fantastisk uge. Vejret har været perfekt. I dag er vi ved klipperne ved Hammeren og en af drengene er gledet ned og ligger på en hylde 5-6 meter nede. Han svarer men kan ikke rokke sig og han er rød i håret. Bølgerne når næsten op til ham."),
    ("long", A, "Hej, vi er et skovhold der tynder ud i Gribskov denne uge, bare så I ved hvorfor der holder maskiner ved Esrum. For 5 min siden mødte vi en mand der stod og bandt et reb fast i en gren. Han sagde vi skulle gå videre og at det var bedst sådan. Han står der stadig og vi er lidt væk fra ham."),
    ("long", A, "Hej Sofie! Fra førerhuset kan jeg se ud over hele Nordhavn og det er egentlig et fedt job 😄 Men på taget af nabobygningen sidder en ung pige på kanten med benene ude over. Det har hun gjort i 20 min, hun vugger frem og tilbage og hendes veninde græder ved siden af hende."),
    ("long", A, "Hej, tak for kaffe i går, det var hyggeligt at I kom ud til os ved Tønder. Jeg har sendt billederne af dieseltanken videre. Nu holder der en bil i vores gård med lygterne slukket og to mænd er ved at slæbe vores ATV op på en trailer. Min mand er ikke hjemme."),
    ("long", A, "Hi, I work at the pharmacy in Aarhus C and joined the ambassador group last month. Love the newsletter. Right now there's a man at our counter who has gone pale and sweaty, he says he hasn't eaten since yesterday and takes insulin. He's slurring and sliding off the chair."),
    ("long", A, "Morgen! Har cyklet til arbejde ad supercykelstien fra Albertslund i 3 år nu, og det er blevet meget bedre med lyset. Men lige nu ved Vestvolden står en mand og holder en pige i armen og hiver hende ind mod buskene. Hun prøver at komme fri og skriger nej. Jeg stopper op."),
    # --- family: long (report) ---
    ("long", R, "Hej Mikkel. Sæsonen er godt i gang i Ebeltoft og vi har fuldt hus. Tak for plakaterne om tyveri fra telte, de hænger i servicebygningen. Desværre har vi haft besøg i nat: 4 fortelte er skåret op og der er taget iPads og punge. Gæsterne vil gerne anmelde det, hvordan gør de bedst?"),
    ("long", R, "Kære kontaktbetjent. Vi er kommet op i sommerhuset ved Vejby for første gang i år og haven ser fin ud. Men skuret er brudt op og den nye plæneklipper og to cykler er væk. Det må være sket i løbet af vinteren. Hvad gør vi med anmeldelse til forsikringen?"),
    ("long", R, "Hej. Jeg kører for et vognmandsfirma i Esbjerg og holder på rastepladser i hele landet. Godt med al den info I sender ud. I nat mens jeg sov i kabinen ved Hylkedam har nogen skåret presenningen op og taget 12 kasser værktøj. Jeg opdagede det kl 6. Skal jeg anmelde det her på Fyn eller hjemme?"),
    ("long", R, "Hej, tak for besøget i mødregruppen i Viborg 😊 Det var rart at høre om nethandel. Ironisk nok er jeg selv blevet snydt nu. Jeg købte en barnevogn på marketplace for 3.500 og betalte med mobilepay, men sælgeren har slettet sin profil. Vil gerne anmelde det."),
    ("long", R, "Hej. Jeg kører for et pakkefirma i Kolding, vi snakkede om pakketyveri på mødet. I går sidst på eftermiddagen mens jeg var oppe i en opgang har nogen åbnet sidedøren og taget 6 pakker. Jeg har ruten og tidspunktet. Chefen siger jeg skal have et journalnummer."),
    ("long", R, "Hej, vi er lige kommet hjem fra lejrskole i Skagen og alt gik godt, børnene var søde. Men i toget hjem opdagede to af pigerne at deres telefoner var taget fra tasken i bagagehylden. Sandsynligvis ved Frederikshavn. Forældrene spørger hvordan de anmelder det."),
    ("long", R, "hej, min søn spillede stævne i Herning i weekenden og det gik fint på banen. men på parkeringspladsen har nogen ridset hele siden af vores bil og brækket spejlet af. der var også 2 andre biler der havde fået samme tur. hvad gør vi?"),
    ("long", R, "Godmorgen. Lang nat på Vesterbro, masser af julefrokoster. Det meste gik fint, men ca kl 02 tog en fyr en tur fra Kongens Nytorv til Valby og løb så uden at betale 380 kr. Han spyttede mig i ansigtet inden. Jeg har billede fra kameraet i bilen. Kan det anmeldes?"),
    ("long", R, "Hej! Tak for den gode snak på havnen i Middelfart, vi har sat mere lys op ved kajakhuset. Desværre er der i løbet af ugen taget 3 havkajakker fra stativet. Låsen er klippet. Vi har stelnumre, hvordan anmelder vi det?"),
    ("long", R, "Hej, det er Lars fra byggepladsen i Vejle. Vi var glade for jeres besøg på pladsen. Men i weekenden har nogen været inde og tappet dieselen fra kranen og taget to generatorer, hegnet er skåret op. Vi har film fra kameraet. Hvad er nemmeste måde at anmelde på?"),
    ("long", R, "Hej, det er fra apoteket i Slagelse. Tak for kurset i konfliktnedtrapning, det har vi brugt. I går kl 17 truede en kunde min kollega med at han ville vente på hende efter lukketid fordi han ikke fik sin medicin. Han gik igen og hun er ok men bange. Vi vil gerne anmelde det."),
    ("long", R, "Hej. Jeg har en lille gartnervirksomhed i Roskilde og vi har været glade for nabohjælpen på industrivejen. Men i nat er vores trailer med hækkeklippere og buskryddere kørt væk fra pladsen. Kæden er klippet over. Jeg har serienumre på det hele."),
    ("long", R, "Hej. Høsten er i gang her ved Skive og vi er trætte men glade. Min mand vil ikke selv skrive så det gør jeg. I går fik han et opkald fra en der sagde de var fra Nets, han gav sine koder og nu er der overført 60.000 fra firmakontoen. Banken siger vi skal anmelde det til politiet."),
    ("long", R, "Hi, I walk dogs professionally in Dyrehaven, beautiful autumn out there. Yesterday a man on a mountain bike deliberately rode into one of the dogs. Then he shouted at me and pushed me over before riding off. The dog and I are ok, just bruised. I'd like to report it."),
    ("long", R, "Hej, jeg har nattevagten på Solhjem i Aabenraa. Tak for sidste møde. I nat har nogen smadret ruderne i 3 af personalets biler på p-pladsen. Vi hørte det ca kl 2 men de var væk da vi kom ud. Hvordan anmelder vi det?"),
    ("long", R, "Hej. Jeg cykler hver dag ind til Aarhus fra Hinnerup og det går generelt fint. Men i morges blev jeg ramt af en bil der kørte højre om mig ved Randersvej og bare fortsatte. Jeg fik skrammer og cyklen er smadret, men jeg er hjemme nu. Jeg har noget af nummerpladen."),
    ("long", R, "Hej! Sommersæsonen i svømmeklubben i Nyborg er slut, tak for jeres hjælp med sikkerheden ved havnebadet. En ting mere: i tirsdags tog en voksen mand billeder af børnene i omklædningsrummet med sin mobil. Han gik før vi nåede hen til ham. Forældrene er rystede og vi vil anmelde det."),
    # --- family: long (officer, benign) ---
    ("long", O, "Hej Jonas. Vi er en svømmeklub i Fredericia med ca 300 børn. Vi vil gerne lave en tryghedsaften for forældrene om færdsel til og fra hallen i mørket. Har du tid en tirsdag i oktober? Det haster ikke."),
    ("long", O, "Hej fra campingpladsen ved Løgstør 🏕️ Vi har haft en rolig sæson indtil videre. Mange gæster spørger om I kommer forbi med patruljebilen som sidste år. Børnene elskede det. Kunne det lade sig gøre en eftermiddag i juli?"),
    ("long", O, "Hej. Jeg kører lastbil og holder tit natpause på rastepladserne langs E20. Der er blevet snakket meget om tyverier blandt chaufførerne, men jeg har ikke selv oplevet noget. Har I nogle råd til hvilke pladser der er mest sikre? Og er det ok at dele dem i vores fb-gruppe?"),
    ("long", O, "Godmorgen fra en taxachauffør i Aarhus. Jeg vil bare sige at det er blevet meget roligere ved Åboulevarden fredag nat efter I er begyndt at gå der. Folk er mere rolige i køen. Ét spørgsmål: hvad skal jeg gøre hvis en kunde er for fuld til at fortælle hvor han bor?"),
    ("long", O, "Hej. Jeg bor fast i sommerhusområdet ved Sejerø Bugt og om vinteren er vi kun 4 husstande tilbage på vejen. Der er ikke sket noget, men det er lidt uhyggeligt med alle de mørke huse. Kunne I tage en tur med os en aften og give gode råd? Kaffen er på mig."),
    ("long", O, "Hej. I sidste uge væltede en af vores nye padlere ved Kalvø og redningsbåden kom hurtigt, han havde det fint bagefter. Tak til jer og til kystredningen. Vi vil gerne have nogen til at fortælle om sikkerhed på vandet ved vores standerhejsning i april. Er det noget I kan?"),
    ("long", O, "Hej. Her ude på gården ved Vinderup snakker vi meget om tyveri af GPS fra traktorerne, det er sket hos et par naboer sidste år. Vi har ikke selv haft noget. Hvad anbefaler I? Er det noget med at mærke dem eller skal man bare tage dem med ind hver aften?"),
    ("long", O, "Hej 😊 Jeg er en del af en mødregruppe i Valby. For et par uger siden blev en af vores barnevogne væltet af en cyklist, men alle var ok og han undskyldte. Nu snakker vi om trafiksikkerhed med de små. Kunne nogen fra jer komme og snakke en formiddag?"),
    ("long", O, "Hej. Jeg tager 28 elever fra 4. klasse med til København i maj, vi skal i Tivoli og på Nationalmuseet. Hvad er jeres råd hvis et barn bliver væk fra gruppen i byen? Skal de have en seddel med mit nummer på? Vil gerne forberede dem godt."),
    ("long", O, "Tak for jeres tilstedeværelse til Dana Cup i Hjørring i weekenden. Det var en fornøjelse at se betjentene spille bold med ungerne. Der var helt roligt hele weekenden. Kommer I igen næste år? Så skriver vi det i programmet."),
    ("long", O, "Hej, det er Maja fra apoteket i Holbæk. Vi havde røveriøvelse i går med vores vagtfirma og det gik fint, men personalet var lidt usikre på hvornår man trykker på alarmen. Kunne en betjent være med næste gang vi øver? Vi øver igen i marts."),
    ("long", O, "Ikke akut. Fra kranen i Ørestad kan jeg se ned på p-pladsen bag indkøbscentret, og der holder den samme hvide varevogn hver aften fra ca 22 til 01. Der sker ikke noget, folk kommer og går bare. Jeg ved ikke om det er noget, men ville nævne det."),
    ("long", O, "Hej. Vi har fundet en gammel bil uden nummerplader langt inde i Rold Skov ved en af skovvejene. Den har stået der i mindst en måned, der er mos på taget. Der er ingen i den. Hvem skal have besked, jer eller kommunen?"),
    ("long", O, "Hej. Sidste måned gik en af vores beboere ud om natten, men vi fandt hende efter 10 minutter i haven og hun var fin. Nu vil ledelsen have bedre alarmer på dørene. Har I erfaringer med hvad der virker på andre plejehjem? Ingen hast."),
    ("long", O, "Hi! I walk my dog every morning in Marselisborg forest. Lately there's a man with three big dogs off the lead who lets them run up to people. Nothing has happened, but many walkers are uneasy. Could you remind people about the rules, maybe with a sign?"),
    # --- family: tense ---
    # 1 diesel theft at a rest stop (lorry driver)
    ("tense", A, "to mænd står lige nu og tapper diesel fra min trailer på rastepladsen ved Vejle Fjord, de har slanger og dunke, jeg sidder i kabinen"),
    ("tense", R, "der er tappet diesel af min lastbil i nat mens jeg sov på rastepladsen ved Vejle Fjord, ca 400 liter, tanklåget er brækket op"),
    ("tense", O, "hvad skal vi chauffører gøre hvis vi opdager nogen der tapper diesel på rastepladsen om natten? gå ud eller blive i kabinen?"),
    # 2 bike theft at a station (cyclist)
    ("tense", A, "en fyr står med en vinkelsliber og skærer låsene over på cyklerne ved Nørreport lige nu, gnisterne står til alle sider"),
    ("tense", R, "min ladcykel er blevet taget fra stativet ved Nørreport i dag mellem 8 og 16, den var låst med kæde"),
    ("tense", O, "hvad er jeres råd til at sikre en dyr ladcykel ved Nørreport? vi er mange i cykelklubben der er nervøse for tyveri"),
    # 3 robbery at a pharmacy
    ("tense", A, "en mand står ved vores skranke på apoteket i Esbjerg og kræver morfin, han har en kanyle i hånden og peger den mod min kollega"),
    ("tense", R, "i går eftermiddags kom en mand ind på apoteket i Esbjerg og truede med en kanyle for at få morfin, han fik noget og løb. alle er ok, vi skal have det anmeldt"),
    ("tense", O, "vi vil gerne have et oplæg på apoteket i Esbjerg om hvordan man skal opføre sig hvis nogen truer os for at få medicin, kan I det?"),
    # 4 car doors at a camp site
    ("tense", A, "to fyre går rundt på campingpladsen ved Løkken lige nu og prøver dørene på bilerne og forteltene, den ene har lige været inde i en bil"),
    ("tense", R, "der er nogen der har været inde i 6 biler på campingpladsen ved Løkken i nat, gæsterne mangler solbriller, penge og en taske"),
    ("tense", O, "har I nogle gode råd jeg kan sætte op på tavlen til gæsterne om at låse bilerne på campingpladsen? vi har haft lidt problemer de sidste somre"),
    # 5 drunk driver (taxi)
    ("tense", A, "han vaklede ud af baren og ind i en rød Toyota og kører nu fra Algade i Aalborg mod Vesterbro, han kunne knap stå på benene"),
    ("tense", R, "en spritbilist ramte min taxa på holdepladsen i Aalborg i nat og kørte videre, jeg har nummeret og kollegerne så at han var stangstiv"),
    ("tense", O, "må jeg som taxichauffør nægte at køre en fuld kunde hen til hans bil hvis jeg ved han vil køre videre selv? og skal jeg melde det til jer?"),
    # 6 fake tradesmen at a pensioner's
    ("tense", A, "der står 2 mænd hos min nabo på 89 i Dronningmølle lige nu og siger taget skal repareres med det samme, de vil have 25.000 kontant og hun er ved at finde pengene frem"),
    ("tense", R, "min nabo på 89 betalte i går 25.000 kontant til 2 mænd for at reparere taget, de smurte lidt tjære på og forsvandt. Dronningmølle"),
    ("tense", O, "der går rygter om falske tagdækkere i sommerhusområdet ved Dronningmølle. hvordan kan de ældre kende forskel på en rigtig og en falsk håndværker?"),
    # 7 fight at a football tournament
    ("tense", A, "2 fædre slås lige nu ved bane 3 til stævnet i Odense, den ene ligger ned og den anden bliver ved"),
    ("tense", R, "til stævnet i Odense i lørdags blev jeg slået i ansigtet af en anden far efter kampen, jeg har mistet en tand og vil gerne anmelde ham"),
    ("tense", O, "vi laver stævne med 60 hold i Odense i maj, hvordan skal de frivillige håndtere forældre der går amok på sidelinjen?"),
    # 8 taxi passenger with a knife
    ("tense", A, "kunde på bagsædet truer mig med kniv lige nu og vil have pengene, jeg er holdt ind på Amager Strandvej"),
    ("tense", R, "i nat truede en kunde mig med kniv på Amager og tog mine penge, han løb. jeg er ok men vil anmelde det"),
    ("tense", O, "Hvad anbefaler I taxichauffører at gøre hvis en kunde truer med kniv? vi har snakket om det i vognmandsforeningen"),
    # 9 summer-house burglary
    ("tense", A, "der er lys og bevægelse i naboens sommerhus ved Blokhus og jeg har lige hørt en rude gå, de er hjemme i Aalborg. der holder en varevogn med slukkede lygter"),
    ("tense", R, "kom op til sommerhuset i Blokhus i dag og terrassedøren er brudt op, fjernsyn og højtalere er væk"),
    ("tense", O, "hvor tit kører politiet forbi sommerhusene i Blokhus om vinteren? vi overvejer alarm efter indbruddene sidste år"),
    # 10 loose dog attack (dog walker)
    ("tense", A, "en sort hund uden snor har bidt sig fast i armen på en dreng på stien i Marselisborgskoven og ejeren kan ikke få den af"),
    ("tense", R, "min datter på 7 blev bidt i benet af en løs hund i Marselisborgskoven i går, hun er syet og ejeren gik bare. vi vil anmelde det"),
    ("tense", O, "hvad er reglerne for løse hunde i Marselisborgskoven? mange lufter uden snor og børnene er bange"),
    # --- family: devstyle ---
    ("devstyle", A, "ikke sikker på det er noget men min genbo i Spjald ligger i haven ved trampolinen og har ligget der længe, han rører sig ikke"),
    ("devstyle", A, "2 knallertfyre rev lige tasken fra en ældre dame ved Kvickly i Lemvig, hun er faldet og har slået hovedet og de kører mod havnen NU"),
    ("devstyle", A, "det brænder i et hus på Vestergade i Ringkøbing, flammerne står ud af stuevinduet og der er måske nogen derinde"),
    ("devstyle", A, "someone is kicking in the door of the flat below me in Holstebro, i can hear a woman crying inside"),
    ("devstyle", A, "min søn på 15 skulle have været hjemme fra træning i Aulum kl 18, nu er den 23, telefonen er slukket og han har diabetes uden insulin med"),
    ("devstyle", A, "det er ikke fordi jeg vil lave ballade men der sidder en fyr i en hvid bil ved skolen i Tarm og filmer ungerne og nu har han lokket en lille pige hen til vinduet"),
    ("devstyle", A, "uheld i rundkørslen ved Skive nord, en knallert og en bil, knallertdrengen ligger i vejen og hans ben vender forkert"),
    ("devstyle", A, "min nabo siger han har et haglgevær og vil lukke munden på de unge der larmer ved hallen i Videbæk, han er lige gået derhen med det"),
    ("devstyle", R, "nogen har stjålet batterierne fra solcelleanlægget i vores kolonihave i Thisted, opdaget i dag"),
    ("devstyle", R, "min datters cykel er stjålet fra gymnasiet i Holstebro i frikvarteret, den var låst"),
    ("devstyle", R, "fik en sms fra 'MitID' og loggede ind via linket, nu er der oprettet et kviklån i mit navn på 15.000"),
    ("devstyle", R, "vores søn blev slået ned af 3 fyre efter byfesten i Ulfborg natten til søndag, han har hjernerystelse men er hjemme. vil anmelde det"),
    ("devstyle", R, "har fundet en pung ved Netto i Vinderup med 2000 kr og sygesikringskort, hvad gør jeg med den"),
    ("devstyle", R, "I'd like to report that someone took the number plates off my car outside my flat in Viborg, noticed it this morning"),
    ("devstyle", R, "der er sprayet hagekors på busskuret i Sevel i nat, vil gerne anmelde det"),
    ("devstyle", R, "min far fik besøg af en 'vandværksmand' i tirsdags der skulle se vandmåleren, nu mangler hans medicin og 3000 kr"),
    ("devstyle", O, "hej, kan man få jer til at komme og snakke om knive og fester til forældremødet i 8. klasse i Ikast?"),
    ("devstyle", O, "hvad gør man hvis man ser en bil køre zigzag på motorvejen? må man ringe mens man selv kører?"),
    ("devstyle", O, "Ikke akut: der har holdt en lastbil med udenlandske plader på rastepladsen ved Herning hver nat i en uge, chaufføren ser ud til at bo i den. er det lovligt?"),
    ("devstyle", O, "tak for det gode samarbejde omkring havnefesten i Thyborøn, der var helt roligt i år 👏"),
    ("devstyle", O, "hey, do you know when the next ambassador meetup in Herning is? I'd like to bring a friend"),
    ("devstyle", O, "der var en bil der kørte i grøften ved Sdr. Nissum i går aftes, føreren kom selv ud og en kranbil hentede den. bare så i ved det"),
    ("devstyle", O, "er det rigtigt at man heller ikke må have kniv i bilen når man skal ud og fiske? min mand har altid en med"),
    ("devstyle", O, "utryg ved at gå hjem fra toget i Struer om aftenen, der er så mørkt på stien langs banen. kan I gøre noget?"),
    ("devstyle", O, "hvornaar kommer der nye foldere om tricktyveri? vi er ved at loebe toer i Brugsen i Haderup"),
    ("devstyle", O, "Godmorgen fra Lemvig ☕ rolig nat, lidt larm ved havnen men ellers intet at melde"),
    ("devstyle", O, "min mor på 79 tror naboen holder øje med hende med kikkert, det har hun sagt i et halvt år. hvad kan vi gøre?"),
    ("devstyle", O, "skal man anmelde det hvis man har set noget på facebook om en mand der skulle have truet nogle børn i Herning? jeg ved ikke mere end det"),
    ("devstyle", O, "vi øver evakuering på plejehjemmet i Skjern torsdag kl 10 med røgmaskine og alarmer, bare så i ikke bliver forskrækkede hvis nogen ringer"),
    ("devstyle", O, "ok, så snakkes vi ved torsdag 👍"),
]  # fmt: skip
