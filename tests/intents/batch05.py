# ruff: noqa: E501
"""Probe batch 5: a last batch in the issue's style families after the batch 4 fixes, with
situations none of the earlier batches used (saunas, pools, balers, kitchen falls, drink
spiking, road rage, train tracks, fireworks, cold rooms, money mules).

Written and labelled by the call-taker's rules in LABELLING.md before the classifier saw any
of it.

Before-fix figures (classifier at commit ee6b487, after the batch 4 fixes):
  n=103 acute_recall=0.727 acute_caught=0.795 net_rate_non_acute=0.017 acute_precision=0.970
  report_f1=0.875 accuracy=0.835
  by family (acute recall / caught / accuracy): long 0.75/0.88/0.67, tense 0.86/0.86/0.90,
  nonoun 0.57/0.71/0.61, modern 0.60/0.60/0.75, dialect 1.00/1.00/1.00,
  elderly 0.80/0.80/0.90, benign (no acute; no false alarm of 20) -/-/1.00
"""

from __future__ import annotations

from intents import Route

A, R, O = Route.ACUTE, Route.REPORT, Route.OFFICER  # noqa: E741

PROBES: list[tuple[str, Route, str]] = [
    # --- long messages: the emergency comes after unrelated context ------------------------
    ("long", A, "Hej Kirsten. Tak for kaffen i går, vi fik snakket om det hele. Jeg står lige nu ved sportspladsen hvor en ung fyr er faldet af sin crosser og ligger med hovedet i en mærkelig vinkel, han svarer ikke"),
    ("long", A, "Kort info: vores forening har fået penge fra kommunen til nye bænke 🎉 Andet: lige nu er der en mand på cykelstien der slår en hund med en kæp og truer dem der prøver at stoppe ham"),
    ("long", A, "Hi, this is Sarah from the international group. We'd love a visit in spring. Also right now at the gym there's a guy who collapsed on the treadmill and someone is doing CPR, do we need to do anything else?"),
    ("long", A, "Godaften, undskyld det sene tidspunkt. Jeg ville egentlig skrive om fartbump men nu lugter hele min opgang af røg og røgalarmen hos underboen hyler og ingen åbner"),
    ("long", A, "Hej med dig 👋 Vi har holdt generalforsamling og alle blev genvalgt. Og så: vores nabos pige på 15 har skrevet til min datter at hun har taget en masse piller og vil sove for altid"),
    ("long", A, "Tusind tak for besøget på skolen, børnene var glade. Jeg sidder i bilen nu og en lastbil foran mig har tabt en stor stålplade midt på motorvejen ved Brande og bilerne kører udenom i fuld fart"),
    ("long", A, "Vi skal have vejfest på lørdag og vil gerne låne afspærring. Men det der haster: der er to mænd der er kravlet ind over hegnet til børnehaven og er ved at bære legetøj og computere ud"),
    ("long", A, "Good morning, the newsletter was great. I'm writing because a man is sitting on the bridge railing over the river here in town with his legs over the side and he is crying"),
    ("long", O, "Hej Peter, vi havde en rigtig god nattevandring. En ung pige var faldet og havde slået knæet, vi hjalp hende hjem og hun var ok. Har I flere plastre til vores tasker?"),
    ("long", R, "Hej. Håber du har det godt. Jeg kom hjem fra arbejde for en time siden og kunne se at nogen har været inde i vores carport og taget vinterdækkene og en boremaskine. Hvad skal jeg gøre?"),
    ("long", O, "Good evening, quick one: we had a fire in a bin outside our block last night, the fire brigade put it out and nobody was hurt. Could you maybe patrol a bit more around there?"),
    ("long", O, "Kære Anne, tak for sidst. Der er mange forældre der er bekymrede efter rygterne om en mand der skulle have fulgt efter skolebørn i sidste måned. Kan I skrive noget ud?"),
    # --- tense triples: the same situation now / over / asked about ------------------------
    ("tense", A, "min veninde har fået noget i sin drink til festen og kan ikke stå på benene og glider væk, vi er ved Kulturhuset"),
    ("tense", R, "min datter fik noget puttet i sin drink i byen lørdag aften, hun har det godt nu men vi vil gerne anmelde det"),
    ("tense", O, "kan I lave et oplæg om drink spiking for gymnasieeleverne?"),
    ("tense", A, "en bilist er stået ud af sin bil i krydset og slår på min rude med et jernrør, jeg sidder i bilen med mine børn"),
    ("tense", R, "en bilist slog på min bil med et jernrør i krydset i går og smadrede sidespejlet, jeg har hans nummerplade"),
    ("tense", O, "hvad skal man gøre hvis en anden bilist bliver aggressiv i trafikken?"),
    ("tense", A, "en mand er faldet om i saunaen i svømmehallen og er helt rød og svarer ikke"),
    ("tense", O, "en mand blev dårlig i saunaen i svømmehallen i går men han kom sig hurtigt og kørte selv hjem"),
    ("tense", O, "er der hjertestartere i svømmehallerne i kommunen?"),
    ("tense", A, "a shop guard is chasing a guy who stole stuff and the guy just pulled out a knife in the middle of the mall"),
    ("tense", R, "a man stole from my shop yesterday and pulled a knife on my staff when they stopped him, we want to report it"),
    ("tense", O, "can shop staff legally hold a shoplifter until the police come?"),
    ("tense", A, "der er tre drenge der leger på togsporet ved Vestre bro og der kommer et tog om lidt"),
    ("tense", O, "der var nogle drenge på togsporet i går aftes, jeg råbte af dem og de gik væk"),
    ("tense", O, "kan I komme og snakke med børnene på skolen om at lege ved togsporet?"),
    ("tense", A, "der er en bil der har fulgt efter mig i 10 minutter og nu holder den bag mig ved lyskrydset, jeg er alene"),
    ("tense", R, "en bil fulgte efter mig hjem i onsdags og holdt uden for mit hus i en halv time, jeg har billeder af den og vil anmelde det"),
    ("tense", O, "har I gode råd til unge piger der skal gå hjem alene om aftenen?"),
    ("tense", A, "en raket er gået af i ansigtet på en dreng og han har brandsår og kan ikke se noget"),
    ("tense", O, "min søn brændte fingrene lidt på et stjerneskud nytårsaften men det er helet fint"),
    ("tense", O, "hvilke regler gælder for fyrværkeri i boligområder?"),
    # --- situations told without the usual nouns -------------------------------------------
    ("nonoun", A, "han ligger i sofaen med blålige læber og der ligger en sprøjte på bordet"),
    ("nonoun", A, "der står en mand midt på rundkørslen og råber og slår ud efter bilerne"),
    ("nonoun", A, "vores søn på 3 var i poolen et øjeblik alene og nu hoster han og er helt slap"),
    ("nonoun", A, "der er et hvepsebo i hækken og min mand er blevet stukket mange gange og har svært ved at synke"),
    ("nonoun", A, "bilen er gået ud over kajkanten og står på næsen i vandet, der banker nogen på ruden indefra"),
    ("nonoun", A, "hun har ikke spist eller drukket i flere dage og ligger bare og stirrer, hun er 91 og alene"),
    ("nonoun", A, "der lugter af gas ude på gaden og en gravemaskine har lige gravet i noget der hvæser"),
    ("nonoun", A, "an old man is wandering along the highway in a bathrobe"),
    ("nonoun", A, "naboens ungarbejder har fået armen ind i halmpressen og de kan ikke stoppe den"),
    ("nonoun", A, "min far har ondt i venstre arm og kæben og sveder helt vildt, han siger det nok er ingenting"),
    ("nonoun", A, "der løber en ko rundt inde i byen ved skolen og børnene er ude til frikvarter"),
    ("nonoun", A, "der ligger en person i vandkanten ved stranden og bølgerne slår ind over ham"),
    ("nonoun", A, "en kvinde er låst inde i et kølerum på slagteriet og vi kan ikke få døren op"),
    ("nonoun", A, "der er en mand der står og skyder med et luftgevær efter fuglene ned i gården hvor børnene leger"),
    ("nonoun", O, "der holder ofte en bil med to mænd ved legepladsen om eftermiddagen, de ryger bare, men det er lidt mærkeligt"),
    ("nonoun", R, "nogen har kørt ind i vores hegn i nat og er kørt videre, der er bildele på græsset"),
    ("nonoun", O, "der var et brag i nat ved havnen men det var vist et skib der bakkede ind i kajen, ingen er kommet til skade"),
    ("nonoun", O, "vejen ved Nørregade er meget glat om morgenen, kan kommunen salte oftere?"),
    # --- fraud, money mules and extortion in progress, and their past and question forms ----
    ("modern", A, "min mormor står nede i banken lige nu og vil hæve 50.000 fordi en har ringet og sagt at hendes søn sidder fængslet i Spanien"),
    ("modern", A, "min søn på 15 har lige fortalt at han skal aflevere en pakke for nogle fyre han har mødt online og at de har truet ham, han er på vej nu"),
    ("modern", A, "someone is logged into my dad's online bank right now and money keeps disappearing while we watch"),
    ("modern", A, "en mand udgiver sig for at være fra fjernvarmen og er på vej ind i de ældres lejligheder i vores opgang lige nu"),
    ("modern", A, "min datter har fået en besked om at hvis hun ikke sender flere billeder inden kl 22 ligger de ude på nettet, hun har låst sig inde og græder"),
    ("modern", R, "jeg har købt en cykel på facebook for 4000 og den viser sig at være stjålen, sælgeren er væk"),
    ("modern", R, "min far har givet en fremmed adgang til sin computer i sidste uge og nu er der taget et lån i hans navn"),
    ("modern", R, "fik en sms om en pakke jeg skulle betale told for, betalte 29 kr og nu er der trukket 3000"),
    ("modern", O, "skal man anmelde det hvis man får en sms med et mærkeligt link men ikke trykker på det?"),
    ("modern", O, "hvordan snakker jeg med min søn om at han ikke skal dele billeder med folk han ikke kender?"),
    ("modern", O, "is MitID safe to use on an old phone?"),
    ("modern", O, "tak for oplægget om svindel i ældreklubben, alle fik meget ud af det"),
    # --- West Jutlandic spellings ------------------------------------------------------------
    ("dialect", A, "æ mand er faldet ned i æ gyllegrav å dæ kommer ingen lyd fra ham"),
    ("dialect", A, "a tror æ kone hår fået en blodprop, hun ka it snak rigtig"),
    ("dialect", A, "dæ står nøj å brænder et bål op ad æ lade å det tager fat"),
    ("dialect", A, "æ knæjt er faldet ned fra æ hølæs å ligger å vrider sæ"),
    ("dialect", A, "dæ kører en bil på æ forkerte side af æ vej ve Ulfborg"),
    ("dialect", R, "nøj hår taget æ diesel fra æ mejetærsker i nat"),
    ("dialect", R, "æ bil er blevet ridset hele vejen rundt i nat"),
    ("dialect", O, "hwornår har I tid te at kom ud te æ skole?"),
    ("dialect", O, "tak for i går, det var godt å snak med jer"),
    ("dialect", O, "hwa ska man gøre hvis man ser nøj der kører fuld?"),
    # --- elderly SMS: no punctuation, polite preamble, signature -----------------------------
    ("elderly", A, "Kære politi jeg skriver fordi min telefon ikke kan ringe min mand har fået et slag han kan ikke løfte armen og hans tale er underlig venlig hilsen Edith Bøvlingbjerg"),
    ("elderly", A, "Hej jeg er alene hjemme og der står en mand i min have og kigger ind ad vinduerne og han har nu prøvet at åbne døren til udestuen mvh Lis"),
    ("elderly", A, "Goddag der er en stor brand i kornmarken overfor mig og det nærmer sig husene jeg er 86 og kan ikke gå så godt hilsen Marius"),
    ("elderly", A, "Kære betjent jeg har fundet min nabo Erna liggende på fortovet hun er kold og siger ikke noget venlig hilsen Tove"),
    ("elderly", A, "hej jeg er faldet i køkkenet og kan ikke komme op jeg har ligget her et par timer og skriver fra min telefon hilsen Rigmor 90 år"),
    ("elderly", R, "Kære politi i nat har nogen brudt ind i min garage og taget min elscooter jeg er 84 og bruger den hver dag venlig hilsen Aksel"),
    ("elderly", R, "Goddag jeg blev snydt af en håndværker der tog 8000 kr i forskud og aldrig kom igen mvh Else"),
    ("elderly", O, "Kære kontaktbetjent mange tak for den gode snak i ældreklubben i tirsdags venlig hilsen Frida"),
    ("elderly", O, "Hej kan I sende mig nogle af de klistermærker med nabohjælp til min postkasse hilsen Hans Tarm"),
    ("elderly", O, "God dag jeg er lidt utryg ved de unge der samles ved kiosken om aftenen kan I kigge forbi mvh Otto"),
    # --- benign programme talk: prevention, news, drills, campaigns, place names -------------
    ("benign", O, "Er der nyt om de to der blev anholdt for indbruddene i Ikast?"),
    ("benign", O, "Vi vil gerne lave en nabohjælpsgruppe for sommerhusene ved Hvide Sande, hvordan?"),
    ("benign", O, "Der er evakueringsøvelse på plejecentret i Brande på tirsdag, bare så ingen ringer 112"),
    ("benign", O, "Tak for oplægget om knivkriminalitet på efterskolen i Ilskov"),
    ("benign", O, "Kan I komme til Røgen og fortælle om nabohjælp til vores grundejerforening?"),
    ("benign", O, "Hvorfor har I lukket nærpolitiet i Skjern? Folk er utrygge"),
    ("benign", O, "Hvor mange trafikulykker har der været på Holstebrovej i år?"),
    ("benign", O, "Vi er nogle forældre i Gassum der vil lave en forældrevandring, kan I hjælpe?"),
    ("benign", O, "Tak for jeres indsats til byfesten i Bramming, der var ro hele aftenen"),
    ("benign", O, "Is there a campaign about bike theft this autumn? Our school in Brabrand wants to join"),
    ("benign", O, "Hvad gør man hvis man bliver truet af en hund på gåturen?"),
    ("benign", O, "Er der kommet svar på hvem der stod bag røverierne på tankstationerne i foråret?"),
    ("benign", O, "Vi får besøg af brandvæsnet i børnehaven i Hammerum på fredag, må vi også få besøg af jer?"),
    ("benign", O, "Kan I forklare hvornår man skal ringe 112 og hvornår 114 til vores beboermøde?"),
    ("benign", O, "Skal vi advare folk om de falske håndværkere der har været rundt i Voldum?"),
    ("benign", O, "Vores skole øver lockdown på mandag, kan en betjent være med?"),
    ("benign", O, "Hvad synes I om at vi sætter kameraer op ved legepladsen i Skåde?"),
    ("benign", O, "Er det rigtigt at der er flere indbrud når det bliver mørkt om vinteren?"),
    ("benign", R, "Vil gerne anmelde at nogen har sprayet graffiti på vores nabohjælp-skilt i Brabrand"),
    ("benign", O, "Tak for hjælpen i sidste uge, det var en stor lettelse for hele familien"),
]  # fmt: skip
