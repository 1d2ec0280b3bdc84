"""A held-out style probe set for the classifier, written for these tests.

None of these sentences come from the development set; they were written fresh in its style
(phone writing, typos, missing æøå, some English, hard cases) and labelled by the rules in
LABELLING.md. They cover every kind of acute situation several ways, plus their past,
resolved, hypothetical and question counterparts. Run with -s to print the figures and misses.

The floor asserted here: every acute probe is routed acute or at least safety-netted, acute
recall >= 0.97 and accuracy >= 0.90.
"""

from __future__ import annotations

import pytest

from intents import Classification, Classifier, Route

A, R, OFF = Route.ACUTE, Route.REPORT, Route.OFFICER

PROBES: list[tuple[Route, str]] = [
    # --- unconscious / not breathing ------------------------------------------------------------
    (A, "min mand er faldet om i haven og jeg kan ikke få liv i ham"),
    (A, "der ligger en ung fyr ved busstoppet, han er helt væk og vi kan ikke få kontakt til ham"),
    (A, "farmor trækker ikke vejret ordentligt og er helt slap, kom hurtigt"),
    (A, "my dad is on the floor and wont wake up"),
    (A, "en mand er besvimet i køen i fakta og ligger der stadig"),
    (A, "kan ikke vaekke min kone hun er helt slap og bleg"),
    (A, "old man lying in the snow by the path, not moving at all"),
    (A, "jeg har fundet min nabo liggende i gangen, han åbner ikke øjnene"),
    (A, "han trakker ikk vejret!!!"),
    (A, "someone just fainted in the church and hes not responding"),
    (OFF, "hvordan giver man hjertemassage? vil gerne lære det inden vores nattevandring"),
    (OFF, "min far besvimede i kirken i søndags men han er ok nu og har været hos lægen"),
    (OFF, "hvad gør man hvis man finder en der ikke trækker vejret, ringer man 112?"),
    # --- chest pain / stroke / seizure ----------------------------------------------------------
    (A, "min far har ondt i brystet og det stråler ud i armen"),
    (A, "min mor kan pludselig ikke tale ordentligt og den ene side af ansigtet hænger"),
    (A, "en kvinde i bussen har voldsomme smerter i brystet og sveder helt vildt"),
    (A, "my husband has crushing chest pain and is sweating a lot"),
    (A, "naboen snakker helt sløret og kan ikke løfte armen, tror det er en blodprop"),
    (A, "someone is having a seizure on the platform at the station"),
    (A, "en dreng har krampeanfald på fodboldbanen og ryster over det hele"),
    (A, "min kone er lige faldet sammen i køkkenet og taler mærkeligt"),
    (OFF, "hvad er tegnene på en blodprop? vil gerne fortælle det til seniorklubben"),
    (OFF, "min far havde en blodprop sidste år, kan han stadig være ambassadør?"),
    # --- bleeding / injury -----------------------------------------------------------------------
    (A, "en fyr er faldet ned fra et stillads og bløder fra hovedet"),
    (A, "min søn har skåret sig dybt på en glasrude og det vil ikke stoppe med at bløde"),
    (A, "guy fell off his bike and his leg looks broken, hes bleeding a lot"),
    (A, "damen faldt på trappen og slog hovedet, hun er helt omtåget"),
    (A, "blodet fosser ud af hans ben, han har ramt sig selv med motorsaven"),
    (A, "der er en mand med et dybt sår i halsen ved stationen, det bloder voldsomt"),
    (A, "min far er faldet ned fra taget og kan ikke mærke sine ben"),
    (R, "vil anmelde at min søn blev slået i går efter skole, han fik en flænge og blev syet"),
    (OFF, "hvor kan vi få en førstehjælpskasse til ambassadørerne?"),
    # --- poisoning / overdose / pills -----------------------------------------------------------
    (A, "mit barn har drukket opvaskemiddel"),
    (A, "min toårige har spist nogle af mormors piller, vi ved ikke hvor mange"),
    (A, "min kæreste har taget en overdosis, hun er helt sløv og svarer ikke ordentligt"),
    (A, "min datter har slugt et knapbatteri"),
    (A, "my son drank some of the cleaning stuff under the sink"),
    (A, "vennen har taget et eller andet stof på festen og ryster og kaster op"),
    (A, "lille Emil har drukket lampeolie og hoster helt vildt"),
    (A, "min bror har taget en hel pakke panodil"),
    (A, "our toddler ate some pills from the bathroom cabinet"),
    (OFF, "hvordan opbevarer man medicin så børnebørnene ikke kan få fat i den?"),
    # --- drowning / in the water / through the ice ------------------------------------------------
    (A, "der ligger en mand i vandet ved havnen og han plasker"),
    (A, "en dreng er brudt igennem isen på gadekæret"),
    (A, "der er nogen der råber ude i havet ved stranden, det ligner de ikke kan komme ind"),
    (A, "a kid fell off the pier and i cant see him anymore"),
    (A, "en bil er kørt i havnen i thyborøn, der sidder nogen i den"),
    (A, "en mand er faldet i åen og strømmen tager ham"),
    (A, "someone is struggling in the water at the beach, waving their arms"),
    (A, "pige plasker rundt ude i søen og går under hele tiden"),
    (A, "to børn er ude på isen på fjorden og den knækker"),
    (OFF, "hvornår er isen på søen sikker at gå på? børnene spørger"),
    (OFF, "der druknede en mand ved stranden sidste sommer, kan i snakke om badesikkerhed?"),
    # --- fire / smoke / gas / CO -----------------------------------------------------------------
    (A, "der lugter voldsomt af gas i opgangen"),
    (A, "det stinker af gas hos naboen og hun åbner ikke"),
    (A, "vores co alarm bipper og vi har alle hovedpine og er svimle"),
    (A, "der står flammer op af taget på laden"),
    (A, "there is smoke pouring out of the neighbours garage"),
    (A, "det ryger voldsomt fra motorrummet på bilen foran mig på motorvejen"),
    (A, "carport i brand hos genboen!!"),
    (A, "it smells like gas in the whole stairwell"),
    (A, "kulilte alarmen hyler i sommerhuset og min datter har det dårligt"),
    (A, "røgen vælter ud under døren til lejligheden ved siden af"),
    (A, "der er ild i en lejlighed på 3 sal og der er folk på altanen"),
    (A, "the house across the street is on fire, people might be inside"),
    (OFF, "vi havde brand i skorstenen i går, brandvæsnet slukkede den og alle er ok"),
    (OFF, "hvor tit skal man skifte batteri i røgalarmen?"),
    (OFF, "hvad gør man hvis det lugter af gas i opgangen?"),
    (R, "nogen har sat ild til vores container i nat, den er helt brændt"),
    (OFF, "skal vi have en brandøvelse på plejehjemmet? hvem arrangerer det"),
    # --- suicide / self-harm ---------------------------------------------------------------------
    (A, "han står på jernbanebroen og siger han vil hoppe"),
    (A, "min ven har skrevet et afskedsbrev og tager ikke telefonen"),
    (A, "my friend says she is going to kill herself tonight"),
    (A, "min søn har skåret sig i armene og har låst sig inde"),
    (A, "naboen sagde han ville gøre en ende på det og nu er han gået ud med et reb"),
    (A, "hun har taget alle sine sovepiller og sender mærkelige beskeder"),
    (A, "min søster skriver at hun ikke kan mere og vi skal passe på katten, hun svarer ikke"),
    (A, "min kollega har lige skrevet at han vil tage sit liv i aften"),
    (
        OFF,
        "hvordan snakker man med en ven der har det svært psykisk? er der en linje man kan"
        " henvise til",
    ),
    (OFF, "har i materiale om psykisk sårbarhed til vores forening?"),
    # --- violence in progress --------------------------------------------------------------------
    (A, "to mænd tæver en tredje foran pizzeriaet lige nu"),
    (A, "der er kæmpe slagsmål på torvet, flere ligger ned"),
    (A, "min nabo skriger og jeg kan høre at han smadrer ting og slår hende"),
    (A, "a guy is beating up a woman in the car park"),
    (A, "de sparker løs på en fyr der ligger på jorden ved stationen"),
    (A, "der er masseslagsmål ved festivalen kom hurtigt"),
    (A, "my brother is getting beaten up outside the club right now"),
    (A, "en far står og ryster sin baby voldsomt på legepladsen"),
    (R, "min søn blev slået ned i lørdags efter byfesten, vi vil gerne anmelde det"),
    (OFF, "er der kommet flere voldssager i holstebro i år?"),
    (OFF, "hvad skal man gøre hvis man ser nogen blive tævet i byen?"),
    # --- weapons ---------------------------------------------------------------------------------
    (A, "der går en mand rundt med en machete på gågaden"),
    (A, "der er en fyr med en pistol i bussen"),
    (A, "someone is waving a knife around outside the supermarket"),
    (A, "han har en kniv og siger han vil stikke mig"),
    (A, "der bliver skudt ude ved blokkene, vi har hørt 4 skud"),
    (A, "mand med gevær ude på marken ved skolen og børnene er i frikvarter"),
    (A, "ung fyr viser en kniv frem ved kiosken og råber af folk"),
    (A, "der er en med en kiv på banegården"),
    (R, "jeg blev truet med en kniv i forgårs i toget, vil gerne anmelde det"),
    (OFF, "må man have en foldekniv liggende i bilen?"),
    (OFF, "there were rumours about a shooting in herning last weekend, is it true?"),
    # --- sexual assault --------------------------------------------------------------------------
    (A, "en mand er ved at tvinge en pige ind i buskene i parken, hun skriger"),
    (A, "min veninde er lige blevet voldtaget og han er stadig i lejligheden"),
    (A, "a man is groping a drunk girl behind the bar and she can barely stand"),
    (A, "en mand blotter sig for børnene ved legepladsen lige nu"),
    (A, "nogen har puttet noget i min venindes drink, hun kan næsten ikke stå"),
    (R, "min datter blev befamlet af en mand i bussen i går, vi vil anmelde det"),
    (OFF, "har i materiale om drink spiking vi kan dele på gymnasiet?"),
    # --- break-in in progress / intruder ---------------------------------------------------------
    (A, "der er nogen inde i vores hus, jeg står udenfor og kan se dem"),
    (A, "hører nogen rode rundt nedenunder og vi er oppe på soveværelset"),
    (A, "nogen er ved at bryde vores bagdør op lige nu"),
    (A, "someone is in my garden with a torch trying the back door"),
    (A, "der står to fyre og bryder ind i naboens skur"),
    (A, "jeg er vågnet ved at der står en fremmed mand i min stue"),
    (A, "der er glas der bliver smadret hos naboen og de er på ferie"),
    (A, "der er nogen der kravler ind ad vinduet i børnehaven nu"),
    (R, "indbrud i vores kolonihavehus i weekenden, de har taget værktøj"),
    (OFF, "hvordan indbrudssikrer man bedst et sommerhus?"),
    (R, "vi kom hjem og terrassedøren var brækket op og tv er væk"),
    (OFF, "der var indbrud hos naboen for 2 uger siden, det er anmeldt. kan i gå en tur forbi?"),
    # --- robbery ---------------------------------------------------------------------------------
    (A, "der er røveri i gang i tanken, en mand i hættetrøje truer ekspedienten"),
    (A, "to fyre prøver at rive tasken fra en ældre dame ved hæveautomaten lige nu"),
    (A, "someone is robbing the kiosk right now"),
    (A, "de holder en mand op ved pengeautomaten og kræver hans penge"),
    (R, "min søn blev røvet for sin jakke i går aftes ved stationen"),
    (OFF, "hvor mange røverier har der været i herning i år?"),
    # --- missing child / dementia / vulnerable adult now -----------------------------------------
    (
        A,
        "Der er en ældre dame der er gået fra plejehjemmet i nattøj, hun er forvirret og det er"
        " frostvejr",
    ),
    (A, "vi har ikke set vores søn på 6 år i en halv time, han var ved søen"),
    (A, "min mor med alzheimers er ikke kommet hjem fra gåturen og det er blevet mørkt"),
    (A, "kan ikke finde min 4årige i svømmehallen"),
    (A, "our little girl wandered off at the beach 20 minutes ago, we cant find her"),
    (A, "en dreng på 8 er ikke dukket op efter skole og tager ikke telefonen, det gør han altid"),
    (A, "min bror er autist og er forsvundet fra bostedet for en time siden"),
    (A, "min demente far er gaaet en tur og vi aner ikke hvor han er"),
    (A, "vores datter er ikke kommet hjem fra spejder, hun skulle være her for 2 timer siden"),
    (OFF, "min datter var væk en time i går på markedet men vi fandt hende, tak for hjælpen"),
    (OFF, "hvad gør man hvis ens demente far går hjemmefra?"),
    # --- child alone in danger -------------------------------------------------------------------
    (A, "en lille dreng på 2-3 år går rundt alene på p-pladsen ved netto og græder"),
    (A, "der sidder en baby alene i en bil i solen på parkeringspladsen"),
    (A, "there is a toddler walking alone by the main road"),
    (A, "et barn står helt alene ude på molen og bølgerne er høje"),
    (A, "to små børn er alene hjemme og skriger efter deres mor, det har stået på i en time"),
    (A, "lille pige uden voksne cykler rundt i rundkørslen"),
    (OFF, "hvor gammel skal et barn være for at være alene hjemme?"),
    (OFF, "i sidste uge gik et barn alene langs vejen, kan i snakke med skolen om det?"),
    # --- serious traffic accident ----------------------------------------------------------------
    (A, "voldsomt trafikuheld på motorvejen ved herning, en bil ligger på taget"),
    (A, "bil er kørt ind i et træ og der ryger fra motoren, føreren sidder fast"),
    (A, "en cyklist er blevet kørt ned i krydset og ligger på vejen"),
    (A, "motorbike crash on route 16, the rider is lying on the road"),
    (A, "2 biler er stødt sammen frontalt ved rundkørslen og folk er kommet til skade"),
    (A, "en bil er kørt ind i en gruppe fodgængere på torvet"),
    (A, "lastbil væltet på rute 15 og chaufføren hænger i selen"),
    (R, "nogen har påkørt min parkerede bil i går og kørt videre uden at lægge en seddel"),
    (OFF, "hvorfor er der så mange uheld i det kryds ved skolen? kan i gøre noget"),
    (OFF, "der var et uheld på rute 11 i morges, alle er ok. bare til info"),
    # --- drunk / reckless driver now -------------------------------------------------------------
    (A, "en fuld fyr er lige kørt fra festen i sin bil"),
    (A, "bilen foran mig slingrer over hele vejen, tror han er beruset"),
    (A, "someone is driving on the wrong side of the motorway near the exit"),
    (A, "der kører en bil med mindst 150 gennem byen forbi skolen"),
    (A, "naboen er stangstiv og er ved at sætte sig ind i bilen med børnene"),
    (A, "drunk guy just got behind the wheel outside the bar"),
    (A, "der kommer en bil imod os i den forkerte side af vejen"),
    (OFF, "kan i lave fartkontrol på skolevej, folk kører alt for stærkt"),
    (R, "vil gerne anmelde en spritbilist jeg så i går aftes, jeg har nummerpladen"),
    # --- threats now -----------------------------------------------------------------------------
    (A, "min eks står nede på gaden og råber at han vil slå mig ihjel"),
    (A, "en mand følger efter mig og min datter, han har gået bag os i 10 min"),
    (A, "there is a man outside my door saying he will hurt me"),
    (A, "naboen truer med at stikke mig ned og står på trappen"),
    (A, "de står udenfor og siger de kommer ind og henter mig"),
    (A, "min kæreste er helt ude af kontrol og siger han vil gøre mig fortræd, jeg er bange"),
    (R, "min eks har sendt trusler på sms i sidste uge, vil anmelde det"),
    (OFF, "hvad gør man hvis man bliver truet på nettet?"),
    # --- animal attack ---------------------------------------------------------------------------
    (A, "en stor hund angriber en lille pige i parken"),
    (A, "naboens hund har bidt min søn og han bløder meget fra armen"),
    (A, "a dog is attacking a man on the path and wont let go"),
    (A, "en tyr er brudt ud og har væltet en mand på marken, han ligger ned"),
    (A, "løs hund bider løs på en cyklist lige nu"),
    (R, "vil anmelde at naboens hund bed min datter i forgårs, hun blev syet"),
    (OFF, "hvad gør man ved en løs hund der gør folk utrygge i området?"),
    # --- hedged, run-on and 'ikke akut' with real danger -----------------------------------------
    (A, "ved ikke om det er noget men en mand har ligget i grøften en time og rører sig ikke"),
    (A, "ikke akut måske men min far siger farvel til alle og har låst sig inde i garagen"),
    (A, "undskyld jeg skriver men der er en kvinde der skriger inde i skoven og det lyder slemt"),
    (A, "kom hurtigt til skolegården der er en elev der har en kniv"),
    (A, "HJÆLP min mand har det skidt og kan ikke få luft"),
    (A, "jeg er på vej hjem og ser en mand ligge helt stille i vejkanten ved rundkørslen"),
    # --- report: crimes already over -------------------------------------------------------------
    (R, "min bil er blevet brudt op i nat og radioen er taget"),
    (R, "nogen har stjålet min cykel ved stationen i morges"),
    (R, "i want to report my bike stolen from outside the gym yesterday"),
    (R, "min mor har overført 30.000 til en falsk bankmand i sidste uge"),
    (R, "nogen har ridset hele min bil i weekenden"),
    (R, "har fundet en mobiltelefon på legepladsen ved skolen"),
    (R, "der er blevet knust ruder i vores skur i nat"),
    (R, "they broke into our shed over the weekend and took the lawnmower"),
    (R, "fik en sms fra 'banken' og klikkede på linket, nu er der hævet penge"),
    (R, "nogen har tappet diesel fra vores lastbil i nat"),
    (R, "someone stole our garden furniture last night"),
    (R, "min pung er blevet stjaalet i bussen i gaar"),
    (R, "vil anmelde at nogen har brugt mit dankort på nettet"),
    (R, "vores hus blev udsat for hærværk i weekenden, der er smadret 3 ruder"),
    (R, "my phone was stolen at the festival on saturday"),
    (R, "har mistet mit kørekort i byen i lørdags"),
    (R, "en falsk håndværker tog 20.000 i forskud og er aldrig kommet igen"),
    (R, "der har været indbrud i min bil i nat, vil gerne anmelde det"),
    (R, "nogen har sprøjtet maling på vores garage i nat"),
    (R, "vores cykler blev stjålet fra cykelskuret i løbet af weekenden"),
    (R, "min konto er blevet tømt efter et opkald fra en falsk politimand i går"),
    (R, "someone hacked my facebook and is asking my friends for money"),
    (R, "min søn blev overfaldet i søndags og fik taget sin telefon, han er ok nu"),
    # --- officer: prevention questions -----------------------------------------------------------
    (OFF, "hvordan beskytter jeg mine ældre forældre mod telefonsvindel?"),
    (OFF, "hvordan beskytter man sin cykel mod tyveri?"),
    (OFF, "how do i protect my grandmother from phone scams?"),
    (OFF, "hvordan undgår vi indbrud i sommerferien?"),
    (OFF, "hvordan kan vi beskytte os mod falske håndværkere?"),
    (OFF, "har i gode råd mod lommetyve på julemarkedet?"),
    (OFF, "hvordan sikrer jeg min mitid mod svindlere"),
    (OFF, "any tips on keeping the car safe from break-ins?"),
    (OFF, "hvordan passer jeg bedst på min mor så hun ikke bliver snydt af svindlere?"),
    (OFF, "hvad kan vi gøre for at undgå tyveri af katalysatorer i vores område?"),
    (OFF, "hvordan lærer jeg børnene at være sikre i trafikken?"),
    # --- officer: rumours and news ---------------------------------------------------------------
    (OFF, "der går rygter om en mand der lokker børn ind i en bil ved skolen, er det rigtigt?"),
    (OFF, "folk på facebook siger der har været et knivstikkeri i byen i weekenden, passer det?"),
    (OFF, "har hørt der skulle være en bande der stjæler katalysatorer, passer det?"),
    (OFF, "someone on facebook said there was a man attacking women in the park, is that true?"),
    (OFF, "er det rigtigt at der var skyderi i holstebro i nat? folk er bekymrede"),
    (OFF, "der var brand på gården ved siden af i går, men alle dyr og folk kom ud. bare til info"),
    # --- officer: thanks, meetings, small talk ---------------------------------------------------
    (OFF, "tusind tak fordi i kom så hurtigt i går"),
    (OFF, "tak for en god snak i går"),
    (OFF, "thanks for helping my mum last week"),
    (OFF, "tak til betjenten der hjalp ved ulykken i går, alle er ok nu"),
    (OFF, "kan vi aftale et møde om trafikken ved skolen?"),
    (OFF, "vil du komme til vores generalforsamling i marts?"),
    (OFF, "could we meet next week about the night walks?"),
    (OFF, "godmorgen, stille nat i bording, intet at melde"),
    (OFF, "kan du sende mig datoerne for nattevandring i foråret?"),
    (OFF, "er der nogen der har erfaring med tryghedsvandring i mindre byer?"),
    (OFF, "hvornår er næste ambassadørmøde i ikast?"),
    (OFF, "hvad er nummeret til politiets servicecenter?"),
    (OFF, "fik du min mail om skolefesten?"),
    (OFF, "kan I sende en betjent til vores førstehjælpskursus og fortælle om 112?"),
    # --- officer: observations and worries, not emergencies --------------------------------------
    (OFF, "der har holdt en sort bil ved børnehaven hver morgen i en uge, lidt mærkeligt"),
    (OFF, "ikke akut men der ligger en masse glasskår på cykelstien ved skolen"),
    (OFF, "de unge kører stærkt på knallert på stierne om aftenen, kan i gøre noget"),
    (OFF, "jeg er lidt utryg ved at gå hjem fra stationen om aftenen, det er så mørkt"),
    (OFF, "der er kommet mange fremmede biler i sommerhusområdet, er det noget i holder øje med?"),
    (OFF, "min nabo er 92 og bor alene, hun er bange for indbrud. kan i kigge forbi?"),
    (OFF, "i'm a bit worried about the dark path behind the school, any plans for more lights?"),
    (OFF, "naboens hund gør hele natten, hvem skal jeg kontakte?"),
    (OFF, "hvem holder øje med fyrværkeri her til nytår? sidste år var det voldsomt"),
    (OFF, "vi har fået nyt lys på p-pladsen og det føles meget tryggere"),
    (OFF, "der er en gadelampe der blinker ved rundkørslen, hvem skal jeg skrive til?"),
    # --- officer: questions about emergencies and crime in general --------------------------------
    (OFF, "hvad skal man gøre hvis man ser en bilist der virker fuld?"),
    (OFF, "what should i do if i see someone being attacked?"),
    (OFF, "skal man ringe 112 eller 114 hvis man ser et indbrud i gang?"),
    (OFF, "hvordan hjælper man bedst en der har fået et hjertestop?"),
    (OFF, "hvad gør man hvis et barn bliver væk i storcenteret?"),
    (OFF, "if someone falls through the ice, what should we do before help comes?"),
    # --- second batch, written after the first round of data fixes (a fresh held-out check) -
    (
        A,
        "min svigerfar er gledet i badekarret og ligger helt stille, han svarer ikke når jeg råber",
    ),
    (A, "der sidder en mand i sin bil ved rastepladsen og er helt blå i ansigtet"),
    (A, "guy on the bus is foaming at the mouth and shaking"),
    (A, "min mand siger han har trykken for brystet og har svært ved at få vejret"),
    (A, "en kvinde er lige faldet om i fitness og de er igang med hjertestarteren"),
    (A, "bedstefar kan ikke sige noget og munden hænger skævt"),
    (A, "knægten har fået fat i en flaske med klorin og drukket af den"),
    (A, "my daughter swallowed a magnet"),
    (A, "min ven har sniffet et eller andet og ligger og ryster på gulvet"),
    (A, "en mand er gået ud på den tynde is på voldsøen og isen giver sig"),
    (A, "bil i kanalen ved havnen, der var en fører i"),
    (A, "der er et barn der flyder på maven i poolen i sommerhuset"),
    (A, "someone jumped off the bridge into the fjord"),
    (A, "der vælter flammer ud af et vindue på skolen"),
    (A, "naboens brændeovn har sat ild i stuen og hun er gammel"),
    (A, "lugter meget af gas ved tankstationen og der er nogen der ryger"),
    (A, "the flat below is full of smoke and the alarm is beeping"),
    (A, "min veninde sidder på taget af p-huset og siger hun hopper"),
    (A, "my brother is cutting himself and says he wants to end it"),
    (A, "min søn har skrevet på snap at han har taget en masse piller og vil sove for evigt"),
    (A, "han har fat i hendes hals og presser hende op ad væggen"),
    (A, "de tæsker en fyr med flasker nede ved havnen"),
    (A, "some guys are kicking a man who is lying on the ground"),
    (A, "en mand svinger med en kniv ved indgangen til bilka"),
    (A, "skud affyret ved skolen, folk løber"),
    (A, "there is a man with a rifle near the playground"),
    (A, "en mand trækker en beruset pige med sig ind i en bil, hun prøver at komme fri"),
    (A, "someone is forcing himself on a girl in the park right now"),
    (A, "der er en mand inde i mit hus, jeg har låst mig inde i soveværelset"),
    (A, "to personer er ved at tømme naboens bil for værktøj lige nu"),
    (A, "i can hear someone smashing the patio door downstairs"),
    (A, "tanken bliver røvet lige nu, manden har en pistol"),
    (A, "en fyr prøver at tage min mors pung ved kassen og hun holder fast"),
    (A, "min datter på 9 er ikke kommet hjem fra skole og det er 2 timer siden"),
    (A, "min far med demens er forsvundet fra hospitalet"),
    (A, "we cant find our son at the festival, he is 5"),
    (A, "toårig alene ved vejen uden forældre i sigte"),
    (A, "der er en baby der græder alene i en barnevogn uden voksne ved søen"),
    (A, "trafikulykke ved Aulum, en knallert og en bil, knallertkøreren ligger i grøften"),
    (A, "en bus er kørt ind i et hus og der er folk i klemme"),
    (A, "bil der kører sig i slinger og næsten ramte en cyklist, han er jo helt væk"),
    (A, "a driver who can barely stand just drove off from the pub"),
    (A, "manden i 3. sal siger han vil stikke mig ned, han står med en kniv i opgangen"),
    (A, "min eks er udenfor og siger han brænder huset af med os inde"),
    (A, "a pit bull is attacking a child at the park"),
    (A, "hunden har bidt en gammel mand i benet og han bløder meget"),
    (R, "min datters cykel er blevet stjålet fra skolen i dag"),
    (R, "vil anmelde at nogen har skåret alle dækkene på min bil op i nat"),
    (R, "min mor er blevet snydt for 50.000 af en falsk rådgiver"),
    (R, "someone broke into my car overnight and took my laptop"),
    (R, "der har været indbrud i vores kolonihave, de har stjålet cyklerne"),
    (R, "vil anmelde at jeg blev slået af en dørmand lørdag, jeg har et blåt øje"),
    (OFF, "hvordan beskytter vi os mod indbrud i vinterferien?"),
    (OFF, "hvordan sikrer jeg mine forældres computer mod hackere?"),
    (OFF, "tak for jeres hjælp med branden i sidste uge, alle har det godt"),
    (OFF, "vi vil gerne have et møde om nattevandring i foråret"),
    (OFF, "går der rygter om skud i byen i aftes? folk er bange"),
    (OFF, "hvad gør man hvis man ser en person i vandet?"),
    (OFF, "kan i holde oplæg om førstehjælp og hvornår man skal ringe 112?"),
    (OFF, "der var en bilulykke ved kirken i fredags, alle slap uskadt. tak for hurtig hjælp"),
    (OFF, "min søn er blevet mobbet i skolen, hvem kan vi snakke med?"),
    (
        OFF,
        "er der nogen der har set min kat? den er sort og hvid",
    ),  # --- third batch (129), written before the third round of fixes; its honest figures then:
    # acute recall 0.515, acute precision 0.810, report F1 0.833, accuracy 0.667, net cover 0.591
    (
        A,
        "min mormor er faldet i badeværelset og kan ikke komme op, hun siger hun har ondt i hoften",
    ),
    (A, "gammel mand er gaaet omkuld paa fortovet ved brugsen og der kommer blod fra hovedet"),
    (A, "naboen paa 88 ligger i entréen, jeg kan se hende gennem brevsprækken, hun reagerer ikk"),
    (OFF, "min far faldt i haven i sidste uge, han er ok, men kan kommunen sætte et nødkald op?"),
    (A, "pige på skolebussen har anfald, hun ryster og har bidt sig i tungen"),
    (A, "min søn er diabetiker og er helt fjern og svedig, vi kan ikke få ham til at spise"),
    (A, "kollega har lavt blodsukker og er ved at glide væk, han sludrer helt"),
    (A, "min datter er stukket af en hveps og hendes læber hæver op, hun hiver efter luft"),
    (A, "my friend ate something with nuts and her throat is swelling, she has no epipen"),
    (A, "guy at the gym is having a fit on the floor, twitching all over"),
    (OFF, "hvad gør man hvis nogen får et epilepsi anfald i bussen? vil gerne være forberedt"),
    (OFF, "min søn fik allergisk chok i sommer, kan vi få et oplæg om førstehjælp på skolen?"),
    (A, "en lille baby sidder i en bil paa p-pladsen ved føtex i bagende sol, ruderne er lukkede"),
    (
        A,
        "there's a kid locked in a car in the sun at the lidl parking lot, he looks red and sleepy",
    ),
    (A, "en hund og et barn er låst inde i en varm bil ved stranden, ingen ejer i nærheden"),
    (OFF, "må man smadre en bilrude hvis der sidder en hund i en varm bil?"),
    (A, "der går en mand på skinnerne ved overkørslen i vemb og toget kommer snart"),
    (A, "en pige sidder på jernbanesporet ved stationen og vil ikke flytte sig"),
    (A, "someone is lying on the train tracks near the station in herning"),
    (OFF, "børn leger ofte ved jernbanen bag skolen, kan i tage en snak med dem?"),
    (A, "jeg kan høre gennem væggen at naboen smider med ting og hun græder og beder ham stoppe"),
    (
        A,
        "der er larm og skrig fra lejligheden ovenpå, det lyder som om nogen bliver kastet ind i"
        " væggen",
    ),
    (A, "hører naboen true sin kone og hun skriger at han skal slippe hende"),
    (A, "i can hear my neighbour screaming and thumps against the wall, i think he is hurting her"),
    (
        R,
        "min søster blev slået af sin kæreste i weekenden, hun er flyttet hjem til os nu. hvordan"
        " anmelder vi",
    ),
    (
        OFF,
        "jeg tror min nabo bliver udsat for vold derhjemme, har set blå mærker flere gange. hvad"
        " kan jeg gøre?",
    ),
    (A, "min ekskæreste står i opgangen igen og vil ikke gå, han har et kontaktforbud"),
    (A, "der har fulgt en bil efter mig hele vejen fra byen og den holder nu bag mig ved mit hus"),
    (A, "a guy has been following me since the station and he's still behind me"),
    (
        R,
        "min eks bliver ved med at skrive og ringe selv om jeg har blokeret ham, vil anmelde"
        " chikane",
    ),
    (A, "tyverialarmen hyler i byggemarkedet og der løber to personer rundt derinde med lygter"),
    (A, "alarmen er gået hos købmanden og jeg kan se nogen med hætter ved bagdøren"),
    (A, "shop alarm going off on main street and two guys with hoods are climbing out the window"),
    (OFF, "alarmen på skolen går tit af om natten uden grund, hvem skal vi kontakte om det?"),
    (A, "stort slagsmål foran diskoteket, de kaster med flasker og en ligger ned"),
    (A, "nogle fulde gutter slås på perronen og en har slået en flaske i hovedet på en anden"),
    (R, "min søn fik en flaske i hovedet i byen i lørdags, han fik 5 sting. vi vil anmelde"),
    (A, "der brænder en bil i carporten hos naboen og det breder sig til huset"),
    (A, "skorstensbrand hos os, der kommer gnister og flammer op af skorstenen"),
    (A, "car on fire in the car park behind the cinema, flames getting bigger"),
    (OFF, "hvornår skal skorstenen fejes? vil gerne undgå skorstensbrand i vinter"),
    (R, "nogen har sat ild til min knallert i nat, den er helt udbrændt"),
    (
        OFF,
        "der brændte en bil ved skolen i nat, brandvæsnet var der og ingen kom til skade. bare så"
        " i ved det",
    ),
    (A, "en mand står med et baseballbat foran kiosken og truer ejeren"),
    (A, "naboen er gået amok med en økse i haven og råber at han vil slå sin bror ihjel"),
    (
        A,
        "fyr i toget peger på folk med en skruetrækker og siger han stikker den første der rører"
        " sig",
    ),
    (A, "a man is swinging a hammer at people outside the bar"),
    (R, "en mand truede mig med en skruetrækker ved cykelskuret i går, han stjal min cykel"),
    (
        A,
        "nogen har sprayet peberspray i ansigtet på min veninde og hun kan ikke se, han er stadig"
        " her",
    ),
    (
        A,
        "a guy just pepper sprayed a group of kids at the bus stop and is running towards the park",
    ),
    (R, "jeg blev sprayet med peberspray i fredags og fik taget min taske, vil gerne anmelde det"),
    (A, "der ligger en mand uden jakke i sneen ved stien, han er helt kold og snakker ikke"),
    (A, "en fuld fyr sover på bænken i parken i frostvejret og vi kan ikke vække ham"),
    (
        OFF,
        "der sover en hjemløs i busskuret om natten nu hvor det er koldt, kan nogen tjekke op på"
        " ham?",
    ),
    (A, "der står en ung pige ude på kanten af altanen på 6. sal og græder"),
    (A, "en mand klatrer over gelænderet på p-huset og vil ikke tale med nogen"),
    (A, "my roommate is sitting on the balcony railing and says nobody would miss him"),
    (A, "en bil har ramt en cyklist og kørt videre, cyklisten ligger på asfalten og bløder"),
    (A, "hit and run on the roundabout, a woman is lying in the road and the car drove off"),
    (R, "en bil påkørte min søns cykel i går og kørte bare videre, han slap med skrammer"),
    (A, "motorcyklist er væltet i svinget ved skovvejen og ligger ikke og bevæger sig"),
    (A, "mc kører smidt af i rundkørslen, han har hjelmen på og siger ikke noget"),
    (A, "der går 3 heste løs på motorvejen ved afkørsel 8 og bilerne bremser hårdt"),
    (A, "køer er brudt ud og går midt på landevejen i mørket"),
    (OFF, "naboens heste bryder tit ud af folden, hvem skal jeg kontakte?"),
    (A, "et stort træ er væltet ned over vejen og ramt en bil, der sidder nogen i den"),
    (A, "tree fell on a car on the road to Lemvig, the driver is still inside"),
    (OFF, "der ligger et væltet træ på cykelstien efter stormen, hvem fjerner det?"),
    (
        A,
        "vandet står højt i kælderlejligheden og der er en ældre mand derinde som ikke kan komme"
        " ud",
    ),
    (A, "bil er kørt ud i oversvømmelsen under viadukten og vandet stiger, de sidder på taget"),
    (OFF, "vores kælder blev oversvømmet i går, hvem skal vi kontakte om skaden?"),
    (A, "der er ringet en bombetrussel ind til gymnasiet og vi er ved at evakuere"),
    (
        A,
        "efterladt kuffert på perronen i struer, den har stået der længe og der hænger ledninger"
        " ud",
    ),
    (A, "suspicious bag left under a bench at the bus terminal, someone said it is ticking"),
    (OFF, "har i noget materiale om hvad man gør ved mistænkelige pakker? til vores personale"),
    (OFF, "der stod en taske ved stationen i morges men ejeren kom og hentede den"),
    (A, "hele familien har fået hovedpine og kvalme i sommerhuset og vi har en gammel gaskedel"),
    (A, "my co alarm keeps going off and my husband is dizzy and confused"),
    (OFF, "skal man have en kulilte alarm i sommerhuset? hvor køber man den"),
    (A, "en hund er løbet ud på isen og ejeren går ud efter den, isen er tynd"),
    (A, "there's a man in the lake through a hole in the ice and he can't climb out"),
    (A, "han har låst døren og siger jeg ikke kommer ud før han siger det, jeg er bange"),
    (A, "de har min søn inde i bilen og kører væk fra skolen, han kender dem ikke"),
    (
        A,
        "der står en mand i vores have og kigger ind ad vinduet med et eller andet i hånden,"
        " klokken er 3",
    ),
    (A, "min mand er helt grå i huden og svarer ikke ordentligt, kom nu"),
    (A, "barnet er blevet blåt og trækker næsten ikke luft 🆘"),
    (A, "Ambulance til Nørregade 12!! min far er gået om"),
    (
        A,
        "lad være at skrive tilbage, han tjekker min telefon. vi er i lejligheden på kirkevej 4,"
        " han har slået mig",
    ),
    (A, "plz send politi til havnen nu der er en mand der smadrer biler med et jernrør"),
    (R, "har fået stjålet min påhængsmotor fra båden i havnen, opdaget i dag"),
    (
        R,
        "en mand har solgt mig en falsk billet på facebook, har betalt 1500 og han svarer ikke"
        " mere",
    ),
    (R, "nogen har brudt ind i vores sommerhus i vinter, vi så det først i weekenden"),
    (R, "vores nummerplader er skruet af bilen i nat"),
    (R, "min mormor har givet sit nem-id til en der ringede, nu mangler der 40.000"),
    (R, "my car window was smashed last night and my bag is gone"),
    (R, "someone used my card details to buy stuff online, i need to report it"),
    (R, "we were scammed by a fake holiday rental, paid 8000 kr and the house doesnt exist"),
    (R, "knallerten er væk fra carporten, den stod der i går aftes"),
    (R, "har fundet en tegnebog med kort og kørekort ved søen, hvor skal jeg aflevere den"),
    (R, "der er sprayet grim tekst på vores gavl i løbet af natten"),
    (R, "min bror blev slået ned af 2 ukendte på vej hjem fra byen fredag, han har brækket næsen"),
    (R, "nogen har stjålet 2 lam fra vores mark i løbet af ugen"),
    (R, "vil anmelde at min nabo truede med at skyde min hund i går"),
    (R, "vores kirkes kobbertagrender er stjålet, opdaget i morges"),
    (R, "anmeldelse: cykel stjålet fra banegården mellem kl 8 og 16, låst med kædelås"),
    (R, "fik en mail fra 'postnord' og betalte told, nu er der trukket 3 gange fra kortet"),
    (R, "i lost my passport somewhere in viborg on saturday, how do i report it"),
    (OFF, "hvad gør man hvis en ældre falder og man ikke kan få dem op?"),
    (OFF, "tak for hjælpen i går da min mor var faldet, hun er hjemme igen og har det godt"),
    (OFF, "is it true that someone was stabbed in holstebro last night? my daughter is scared"),
    (OFF, "kan man få et kursus i hjertestarter til vores boligforening?"),
    (OFF, "der var en mand der faldt om i brugsen i går, men ambulancen kom hurtigt og han er ok"),
    (
        OFF,
        "vi har snakket om at lave en vagtordning i vores gade efter alle indbruddene, hvad siger"
        " du",
    ),
    (
        OFF,
        "har hørt at der skulle være en der går rundt og kigger ind ad vinduer i hjerm, ved i"
        " noget?",
    ),
    (OFF, "hvad er forskellen på 112 og 1813?"),
    (OFF, "thanks for coming to the school yesterday, the kids loved seeing the police car"),
    (OFF, "jeg er bange for at gå tur med hunden om aftenen efter overfaldet i sidste måned"),
    (OFF, "hvordan melder jeg mig som tryghedsambassadør i Thorsminde?"),
    (
        OFF,
        "min gamle nabo er begyndt at glemme meget og går nogle gange forkert, skal vi gøre noget?",
    ),
    (OFF, "hvornår holder i næste gang åbent på stationen i lemvig"),
    (
        OFF,
        "is there anything we can do about the boys racing mopeds on the school path in the"
        " evenings?",
    ),
    (OFF, "kan man låne en fartmåler til vores vej? folk kører stærkt forbi børnehaven"),
    (OFF, "hej, stille og rolig aften her i Thyholm. godnat"),
    (OFF, "vi har fundet ud af at bruge en fælles messenger gruppe i vejen, god ide?"),
    (
        OFF,
        "the ice on the lake looks thin but kids are skating on it every day after school, could"
        " someone put up a sign?",
    ),
    (OFF, "der er en ræv der går rundt i haverne om dagen, er det farligt for børnene?"),
    (OFF, "min søn så en mand med en kniv i en film og er bange nu, hvordan snakker vi om det"),
    (OFF, "er det ok at jeg deler jeres opslag om svindel i vores facebookgruppe?"),
    (OFF, "hvem har ansvaret hvis der falder sne ned fra taget på fortovet?"),
    # --- fourth batch (64), written before the fourth round of fixes; its honest figures then:
    # acute recall 0.875, acute precision 0.933, report F1 0.800, accuracy 0.844, net cover 0.906
    (
        A,
        "min far er lige skredet i isen på trappen og kan ikke støtte på benet, han er 90 og"
        " ligger stadig",
    ),
    (A, "drengen er ramt af en gynge i hovedet og kaster op og er meget søvnig"),
    (A, "en kvinde er klemt under en traktor ude på marken ved Spjald"),
    (A, "min veninde er gravid og bløder meget, vi sidder i bilen på vej ind"),
    (A, "der er et barn der er faldet ned i en brønd i haven, vi kan høre hende"),
    (A, "nogen skyder med luftgevær efter børnene på legepladsen fra et vindue"),
    (A, "en mand står og pisker sin hund med en kæde og den hyler"),
    (A, "der er to der slås med knive bag ungdomsklubben"),
    (
        A,
        "min søn er blevet jaget af en gruppe og har gemt sig på toilettet i hallen, de står"
        " udenfor",
    ),
    (A, "nogen har tændt ild i containeren ved skolen og det breder sig til cykelskuret"),
    (A, "det brænder i halmstakken og ilden er ved at nå stalden med dyrene"),
    (A, "der er en fyr der kravler op på en el mast ved motorvejen"),
    (A, "en ældre mand sidder i sin bil i søen, bilen er ved at synke"),
    (A, "vores dreng på 3 er forsvundet fra haven, lågen stod åben og vi bor ved åen"),
    (A, "there's a man unconscious in a car with the engine running in a closed garage"),
    (A, "my wife fell down the stairs and her head is bleeding and she's confused"),
    (
        A,
        "a woman is screaming in the woods behind the school, it sounds like someone is attacking"
        " her",
    ),
    (A, "someone is spraying people with something in the mall, everyone is coughing"),
    (A, "my grandad is slurring and can't lift his right arm"),
    (A, "kid on a bike got hit by a van at the crossing, he's not getting up"),
    (
        A,
        "en bil holder med motoren i gang og chaufføren sover over rattet i krydset, lugter af"
        " sprit",
    ),
    (A, "der sidder en mand og kaster brosten ned på bilerne fra broen over motorvejen"),
    (A, "han har revet telefonen fra mig og siger han slår mig hvis jeg ringer, jeg låner naboens"),
    (
        A,
        "naboens datter på 15 står grædende ude på vejen og siger hendes far har slået hende, han"
        " leder efter hende",
    ),
    (A, "en kvinde holder et barn ud over gelænderet på gangbroen og råber"),
    (A, "nogen prøver at åbne min hoveddør med et værktøj, jeg er alene hjemme"),
    (A, "en dreng er faldet gennem taget på den gamle fabrik og ligger og klynker"),
    (A, "ulv eller stor hund har angrebet en mand ved skovbrynet, han bløder fra armen"),
    (
        A,
        "manden i nr 7 har truet med at sprænge sig selv og lejligheden i luften, det lugter af"
        " gas",
    ),
    (A, "mor har spist mange af sine sovetabletter og er helt sløret"),
    (A, "bussen er kørt i grøften og væltet med børn i"),
    (A, "stormen har revet taget af laden og nogen er fanget nedenunder"),
    (R, "min søn blev kastet ned af trappen af nogle ældre elever i fredags og brækkede armen"),
    (R, "vores drivhus er smadret og nogen har tisset i sandkassen i løbet af natten"),
    (R, "jeg har betalt for en hundehvalp på dba og sælgeren er forsvundet"),
    (R, "der er stjålet diesel og værktøj fra maskinhuset i weekenden"),
    (R, "someone keyed my car in the parking lot at work today"),
    (R, "my elderly mum gave her bank code to a man on the phone yesterday, money is gone"),
    (R, "vil gerne anmelde at en mand blottede sig for min datter ved stationen i går"),
    (R, "fandt et par nøgler med bilnøgle ved skolen i dag"),
    (R, "min ekskæreste har lagt nøgenbilleder af mig på nettet"),
    (R, "nogen har smadret alle lygterne på stien i nat, det er 4. gang"),
    (R, "en mand slog mig i ansigtet i toget i morges og gik af ved næste station"),
    (R, "fik en sms om en pakke, trykkede og nu er der oprettet et lån"),
    (OFF, "min datter blev bidt af en hund sidste år, hvad gør vi hvis vi møder den igen?"),
    (OFF, "hvornår er det for koldt til at lade børn lege ude? spørger for en ven"),
    (OFF, "tak for hjælpen i går med manden der var faldet om ved torvet. han har det fint nu"),
    (OFF, "er der nogen der ved hvornår motorvejen åbner igen efter ulykken?"),
    (OFF, "we heard sirens and saw a helicopter over the lake this morning, was anyone hurt?"),
    (OFF, "vi laver brandøvelse i børnehaven på torsdag, kan en betjent komme forbi"),
    (OFF, "der er ofte unge der drikker ved skaterbanen om aftenen, de larmer men gør ikke noget"),
    (OFF, "jeg vil gerne høre om I kan lave et oplæg om knivkriminalitet for forældre"),
    (
        OFF,
        "the kids are asking if it's dangerous to walk near the train tracks, what should i tell"
        " them",
    ),
    (OFF, "hvem skal jeg ringe til hvis der går køer på vejen igen? det skete i sommer"),
    (OFF, "min nabo har fået en ny hund der ser farlig ud, men den har ikke gjort noget"),
    (OFF, "kan man låne en hjertestarter til byfesten?"),
    (OFF, "der kører en mørk bil langsomt forbi skolen hver morgen, bare så i ved det"),
    (OFF, "mange tak for en rolig nattevandring, alle kom godt hjem"),
    (OFF, "hvad gør jeg hvis der ligger en fuld person på bænken og sover i kulden?"),
    (OFF, "is it normal that police cars drive with blue lights but no siren at night?"),
    (
        OFF,
        "jeg har lige hørt at der var et knivoverfald i Ikast i weekenden, skal vi være bekymrede",
    ),
    (OFF, "hej, hvordan får jeg adgang til den nye app for ambassadører?"),
    (OFF, "det var en dejlig dag til sikkerhedsdagen på skolen, børnene var glade"),
    (OFF, "er det ulovligt at have en kniv i handskerummet når man er håndværker?"),
    # --- fifth batch (83), written before the fifth round of fixes; its honest figures then:
    # acute recall 0.689, acute precision 0.838, report F1 0.833, accuracy 0.723, net cover 0.733
    (
        A,
        "naboens aviser har hobet sig op i 4 dage og hun lukker ikke op, hun er 91 og der er lys"
        " i køkkenet",
    ),
    (A, "roegalarmen har bippet i over en time hos genboen og ingen aabner, vi kan ikke se ind"),
    (
        A,
        "der sidder en mand sammensunket i en parkeret bil med motoren kørende, han reagerer ikk"
        " når vi banker",
    ),
    (A, "en lille pige sidder i det åbne vindue på 4 sal og ingen voksne er hjemme"),
    (A, "min søn på 16 har sendt farvel beskeder til alle sine venner og hans telefon er slukket"),
    (
        A,
        "fuld fyr ligger og sover i sneen ude foran diskoteket, vi kan ikke få ham op og han er"
        " iskold",
    ),
    (A, "en flok fyre løber efter en dreng med kæppe og stokke ned ad hovedgaden"),
    (A, "vi har lige hørt skud ovre ved boligblokken, mindst 3 knald"),
    (A, "der går en fyr langs vejen og prøver alle bildørene, han er ved nr 20 nu"),
    (A, "løbehjulsulykke ved skolen, en dreng slog hovedet i asfalten og er helt uklar"),
    (A, "der er lige kørt en bil ud i søen ved campingpladsen og den synker"),
    (A, "skraldespanden ved siden af huset brænder og flammerne slikker op ad facaden"),
    (A, "der hænger en ledning ned over vejen efter stormen og den gnistrer, børn går forbi"),
    (A, "3 unger leger ude på isen midt på søen, den er ikke frossen ordentligt"),
    (A, "der er en hund der er låst inde i en bil i bagende sol ved rema, den ligger og hiver"),
    (A, "de skubber en kvinde ind i en hvid varevogn ved stationen, hun råber om hjælp"),
    (
        A,
        "naboen har ikke været ude i flere dage, bilen står der og han tager ikke telefonen, han"
        " er syg",
    ),
    (A, "min farmor svarer ikk på tlf siden i går og hun plejer altid at ringe, hun bor alene"),
    (A, "en mand ligger og ryster på fortovet og det kommer skum ud af munden"),
    (A, "min kone har fået et stik af en bi og hun er helt hævet i ansigtet og hiver efter vejret"),
    (A, "en dreng er lige blevet ramt af toget ved overkørslen"),
    (A, "en kvinde har kastet sig ud foran en bus på banegårdspladsen"),
    (A, "manden ved siden af mig i toget holder sig til brystet og er grå i ansigtet"),
    (
        A,
        "der er nogen der er ved at stjæle en bil i vores gård, de har knust ruden og sidder i"
        " den nu",
    ),
    (A, "en mand står og sparker døren ind hos naboen, hun er hjemme med børnene"),
    (A, "han sidder nede i bilen med en slange fra udstødningen ind gennem vinduet"),
    (
        A,
        "min bror har lige ringet og sagt undskyld for alt og at han elsker os, nu tager han ikk"
        " telefonen",
    ),
    (A, "to hunde har lige bidt en lille dreng i ansigtet ved skolen, der er meget blod"),
    (A, "der er en gammel dame der går rundt i nattøj på landevejen i mørket"),
    (A, "hjælp det brænder i køkkenet og jeg kan ikke slukke det"),
    (A, "en mand er faldet ned fra en stige og ligger helt stille på terrassen"),
    (A, "der er ild i en skraldecontainer op ad børnehaven, det er ved at gå i træværket"),
    (A, "en bil ligger på siden i grøften med hjulene snurrende, kan ikke se føreren"),
    (A, "de har taget en pige med i bilen med vold, en sort golf, kørte mod herning lige nu"),
    (A, "min datter er blevet bidt af en slange i haven og hendes arm hæver"),
    (A, "naboen står med en kniv mod sin egen hals ude i haven"),
    (A, "the smoke alarm next door has been going for an hour and nobody answers the door"),
    (A, "there's a guy slumped over the wheel in a parked car with the engine on, wont wake up"),
    (A, "some men are chasing a guy with bats down the high street"),
    (A, "heard gunshots near the harbour just now, people are running"),
    (A, "a little boy is standing on the window ledge on the third floor"),
    (A, "a car just drove into the lake and it's sinking, someone is inside"),
    (A, "mormor på 87 ligger på badeværelsesgulvet og siger hun har ligget der siden i aftes"),
    (A, "der er en person der kravler rundt på taget af skolen og det er glat"),
    (A, "en lastbil har ramt en rytter og hesten ligger på vejen, rytteren ligger stille"),
    (
        R,
        "vores hund blev efterladt i en varm bil i går af nogle turister, den overlevede, vil"
        " anmelde dem",
    ),
    (R, "nogen har prøvet alle bildørene i vejen i nat, min taske er taget fra bilen"),
    (R, "min datter blev jagtet af nogle drenge med pinde i fredags og de tog hendes mobil"),
    (R, "der har været nogen i vores skur i løbet af natten, plæneklipperen er væk"),
    (R, "nogen har stjålet kobberledningerne fra vores byggeplads i weekenden"),
    (R, "vil anmelde at en mand fulgte efter min datter hjem i går og filmede hende"),
    (R, "i was pickpocketed at the market in ringkøbing this morning, wallet gone"),
    (R, "min mor har købt en robotstøvsuger af en på facebook og han har aldrig sendt den"),
    (R, "nogen har kørt ind i vores postkasse i nat og den ligger knust i grøften"),
    (R, "har fundet en cykel smidt i vores hæk, den har stået der i 3 dage"),
    (R, "vores butik blev røvet i går aftes, ekspedienten er uskadt men de tog kassen"),
    (R, "min søn er blevet afpresset på snapchat med billeder, han har betalt 2000"),
    (R, "tyverialarmen gik i nat hos os og i morges manglede generatoren"),
    (
        OFF,
        "naboens aviser hober sig op, men hun er vist bare på ferie hos datteren, skal jeg gøre"
        " noget",
    ),
    (
        OFF,
        "røgalarmen hos naboen bippede hele formiddagen, det var bare batteriet, hun har skiftet"
        " det nu",
    ),
    (OFF, "der var skud i nat ved havnen sagde min nabo, men det var vist bare fyrværkeri"),
    (OFF, "hvad skal man gøre hvis en ledning falder ned over vejen i storm?"),
    (OFF, "hvor tyk skal isen være før børnene må gå på den?"),
    (OFF, "hvad gør man hvis man ser en hund i en varm bil? må man knuse ruden"),
    (
        OFF,
        "der er rygter om at nogen forsøgte at trække en pige ind i en varevogn i vinderup, ved"
        " i noget?",
    ),
    (OFF, "min søn sad i vinduet i går og jeg fik et chok, har i tips til børnesikring?"),
    (OFF, "bilen der kørte i søen i sidste uge, ved man om føreren klarede sig?"),
    (OFF, "tak for hjælpen i nat, min mor blev fundet og er hjemme igen"),
    (
        OFF,
        "er der nogen der holder øje med den forladte bil på p-pladsen ved hallen? den har stået"
        " der en måned",
    ),
    (
        OFF,
        "ikke akut, men der sidder ofte nogen og drikker i en parkeret bil ved skoven om aftenen",
    ),
    (
        OFF,
        "i am worried about my elderly neighbour living alone, how can we check on her regularly?",
    ),
    (OFF, "is there a course for ambassadors on what to do at a car crash?"),
    (OFF, "vi vil gerne lave en kampagne om løbehjul og hjelm på skolen, kan i hjælpe"),
    (OFF, "stormen i nat væltede vores hegn, ingen kom til skade, skal det meldes til jer?"),
    (OFF, "hvordan taler man med sin teenager om selvmordstanker? vi er bekymrede men han er ok"),
    (
        OFF,
        "der var en mand der sov i sin bil på rastepladsen i morges, han virkede fin, bare til"
        " info",
    ),
    (OFF, "min far på 89 bor alene og faldt for et år siden, kan i anbefale et nødkald?"),
    (OFF, "kan man få politiet ud til vores vejfest og snakke om indbrud?"),
    (OFF, "hvorfor kom der ingen da vi ringede om larmen i nat? det var ikke fedt"),
    (OFF, "en flok drenge kastede snebolde efter bilerne i går, ikke farligt men lidt irriterende"),
    (OFF, "what happened at the school this morning, there were lots of police cars"),
    (OFF, "hej, jeg flytter til struer, kan jeg fortsætte som ambassadør der?"),
    (OFF, "jeg så en ambulance ved plejehjemmet i dag, er alt ok derinde?"),
    # --- sixth batch (110), written before the sixth round of fixes in the dev set's style and
    # mix (30 acute, 30 report, 50 officer); its honest figures then: acute recall 0.933, acute
    # precision 0.875, report F1 0.933, accuracy 0.909, net cover 0.933, net rate 0.037
    (
        A,
        "der er en mand der sparker på døren til naboen i Ikast og råber han slår hende ihjel,"
        " hun skriger derinde",
    ),
    (A, "min far er faldet ned af stigen i Tarm, han ligger i indkørslen og siger ikke noget"),
    (
        A,
        "bilen foran mig på rute 11 ved Skjern kører helt i zigzag og har været over i modsatte"
        " bane 3 gange nu",
    ),
    (
        A,
        "der kommer sort røg ud af vinduet paa 1 sal i boligblokken i Holstebro, der er en der"
        " banker på ruden",
    ),
    (A, "help, my friend collapsed at the bar in Herning and his lips are turning blue"),
    (
        A,
        "vi kan ikke finde vores søn på 4 år, han var i legeland i Brande for 10 min siden og nu"
        " er han væk",
    ),
    (
        A,
        "en fyr har lige stukket en anden med noget skarpt foran kiosken i Lemvig, han bløder fra"
        " maven",
    ),
    (
        A,
        "to mænd er inde hos naboen lige nu, de bærer fjernsyn ud i en varevogn og hun er på ferie",
    ),
    (
        A,
        "min datter skriver at hun vil tage alle sine piller i aften og nu svarer hun ikk på"
        " telefonen",
    ),
    (
        A,
        "frontalt sammenstød på vejen mellem Struer og Hjerm, der sidder en fastklemt og han"
        " skriger",
    ),
    (A, "der står en mand og vifter med en pistol udenfor banken i Ringkøbing, folk løber"),
    (
        A,
        "min mand er helt grå i hovedet og kan ikke få luft, han har astma men pusteren virker ikk",
    ),
    (
        A,
        "someone is smashing the windows of the cars on the street in Struer right now with a"
        " hammer",
    ),
    (
        A,
        "hjææælp der er en mand i vores have med en kniv og han prøver at komme ind ad"
        " terrassedøren",
    ),
    (
        A,
        "naboens lille dreng sidder alene i en bil i solen på p-pladsen ved Bilka i Holstebro,"
        " han er helt rød og græder",
    ),
    (
        A,
        "min kæreste ligger og ryster og er ikke til at få kontakt med efter festen, han har"
        " taget noget",
    ),
    (A, "der er en traktor væltet ned i grøften ved Tim og føreren er ikke kommet ud"),
    (
        A,
        "der er en kvinde der ligger på cykelstien ved Herning hospital og bevæger sig ikke, der"
        " er blod",
    ),
    (A, "the barn next to us in Lemvig is burning and the horses are still inside"),
    (
        A,
        "tror der er nogen der er ved at bryde ind i min bil, jeg kan se en med lommelygte ved"
        " den nu",
    ),
    (
        A,
        "min bror sidder i bilen med motoren kørende inde i den lukkede garage og vil ikke lukke"
        " op",
    ),
    (
        A,
        "en gruppe unge kaster sten efter bilerne fra broen over motorvejen ved Herning, det sker"
        " nu",
    ),
    (A, "mor er faldet i badet og kan ikke rejse sig og hun taler helt uforståeligt"),
    (A, "der er en mand på taget af parkeringshuset i Herning der står helt ude på kanten"),
    (A, "min x har fundet ud af hvor jeg bor og står uden for vinduet nu, han har slået mig før"),
    (A, "gasflasken ved grillen er sprunget læk og det suser, folk står helt tæt på"),
    (A, "vores baby har feber og er helt slap og reagerer ikke når vi taler til hende"),
    (A, "en bil kørte lige ind i en fodgænger i rundkørslen i Ikast, han ligger på vejen"),
    (
        A,
        "ikke sikker på om det er akut men min nabo på 88 har ligget på gulvet siden i morges og"
        " kan ikke komme op",
    ),
    (A, "der er to der slås med knive på festpladsen i Tarm lige nu"),
    (
        R,
        "nogen har stjålet dieselen fra vores maskiner paa marken ved Sdr Nissum i nat, ca 400"
        " liter",
    ),
    (
        R,
        "min cykel blev taget foran gymnasiet i Struer i formiddags, den var låst. hvordan"
        " anmelder jeg",
    ),
    (R, "der er nogen der har ridset hele siden på min bil mens den holdt ved Føtex i Brande"),
    (
        R,
        "vi har haft indbrud i klubhuset i Ringkøbing i weekenden, de har taget højttalere og"
        " kassen",
    ),
    (
        R,
        "min mor har fået en sms fra 'banken' og trykket på linket, nu mangler der 12.000 kr på"
        " kontoen",
    ),
    (
        R,
        "I got scammed on facebook marketplace, paid for a sofa in Herning and the seller"
        " disappeared",
    ),
    (R, "fandt en pung med kørekort og kort på stranden ved Vedersø, hvem skal jeg give den til"),
    (
        R,
        "min søn blev slået ned efter byfest i Lemvig i lørdags, han fik brækket næsen. vi vil"
        " anmelde det",
    ),
    (R, "nogen har brudt ind i vores skur i nat og taget plæneklipperen og en robotplæneklipper"),
    (R, "bil indbrud i nat på p-pladsen ved hallen i Tarm, ruden knust og tasken væk"),
    (
        R,
        "har fået en trusselsbesked på messenger fra en fyr jeg ikke kender, han skriver han ved"
        " hvor jeg bor",
    ),
    (R, "jeg har mistet min telefon i bussen fra Holstebro til Struer i går, skal det meldes"),
    (R, "der er nogen der har smadret vinduerne i busskuret ved skolen i Ikast igen i nat"),
    (R, "My car was broken into overnight near the harbour in Ringkøbing, they took my laptop"),
    (
        R,
        "vil gerne anmelde at min nabo har skudt på vores kat med luftgevær i sidste uge, den er"
        " blevet opereret",
    ),
    (R, "der blev stjålet 3 kvægtrailere fra gården ved Videbæk i weekenden"),
    (R, "nogen har hacket min facebook og skriver til alle mine venner om penge"),
    (
        R,
        "vi kom hjem fra ferie i dag og der har været indbrud, terrassedøren er brudt op og"
        " smykkerne er væk",
    ),
    (
        R,
        "en mand slog min kæreste i ansigtet på værtshuset i Skjern i går aftes, han har et blåt"
        " øje. vi har hans navn",
    ),
    (R, "min knallert er stjålet fra carporten i Holstebro i løbet af natten"),
    (
        R,
        "der har været nogen og tage nummerpladerne af min bil mens den stod ved stationen i"
        " Herning",
    ),
    (
        R,
        "blev ramt af en bil på cykelstien i Lemvig i morges, føreren kørte bare. jeg er ok men"
        " cyklen er smadret",
    ),
    (
        R,
        "en falsk håndværker har taget 8000 kr af min far for at rense tagrender han aldrig"
        " rensede",
    ),
    (R, "Someone spray painted swastikas on our garage door in Brande last night"),
    (
        R,
        "min datter bliver chikaneret på snap af en ældre mand der sender ulækre billeder, har"
        " screenshots",
    ),
    (R, "der er stjålet en båd fra havnen i Struer i løbet af ugen, en blå jolle"),
    (R, "har lige opdaget at nogen har været inde i min bil i nat, handskerummet er tømt"),
    (R, "de har stjålet kobberet fra kirketaget i Hee igen"),
    (
        OFF,
        "ikke akut: der har holdt en hvid varevogn uden nummerplader ved skolen i Tarm tre"
        " aftener i træk",
    ),
    (OFF, "hvad gør man hvis man ser nogen køre spritkørsel? ringer man 112 eller 114"),
    (OFF, "Is it normal that the police helicopter is flying over Herning so late? just curious"),
    (OFF, "hej Lars, kan vi mødes en dag i næste uge om nattevandringen i Struer?"),
    (
        OFF,
        "der var brand i en bil på p-pladsen i Skjern i går aftes, brandvæsenet slukkede og ingen"
        " kom noget til",
    ),
    (OFF, "tak for et godt foredrag om svindel i Ringkøbing i går, folk var meget glade 👍"),
    (
        OFF,
        "mange ældre i Brande er utrygge ved at gå ud efter mørkets frembrud, kan I komme og"
        " snakke med dem",
    ),
    (OFF, "hvor mange indbrud har der været i Lemvig i år? vi vil gerne vide om det stiger"),
    (OFF, "min nabo siger at der var knivstikkeri i Holstebro i weekenden, er det rigtigt?"),
    (OFF, "hvordan sikrer man sin el cykel bedst mod tyveri, er der en god lås I anbefaler"),
    (
        OFF,
        "der kører en knallert meget stærkt rundt i boligområdet i Ikast hver aften, det er kun"
        " et spørgsmål om tid før nogen bliver ramt",
    ),
    (
        OFF,
        "kan jeg få nogle af de der klistermærker med 'her holder naboerne øje' til vores vej i"
        " Tarm",
    ),
    (OFF, "we saw lots of blue lights near Lemvig harbour this morning, is everything ok?"),
    (
        OFF,
        "er der nogen der ved hvem der ejer den røde bil der har holdt foran kirken i Hvide Sande"
        " i 2 uger",
    ),
    (OFF, "hej 😊 jeg er ny ambassadør i Skjern, hvad forventes der af mig"),
    (
        R,
        "min mor fik et opkald fra en der sagde han var fra Microsoft, hun lagde på. skal vi gøre"
        " noget?",
    ),
    (
        OFF,
        "hvad skal man gøre hvis en hund angriber ens barn? vil gerne have nogle råd til"
        " forældremødet",
    ),
    (OFF, "det var en voldsom ulykke på Herningvej i går, ved man hvordan det gik dem"),
    (OFF, "er det lovligt at sætte kamera op der filmer ud mod fortovet?"),
    (OFF, "sker der noget ved juletid med ekstra patruljer i Holstebro centrum?"),
    (
        OFF,
        "vi har haft en del unge der hænger ud ved stationen i Struer om natten, ikke noget slemt"
        " men folk er lidt utrygge",
    ),
    (OFF, "Hvordan kan jeg se om en hjemmeside er falsk før jeg køber noget"),
    (
        OFF,
        "godmorgen, bare lige for at sige at det var en rolig nat i Ringkøbing, ingen problemer"
        " på turen",
    ),
    (
        OFF,
        "der er en lampe i tunnelen under banen i Brande der har været i stykker i en måned, det"
        " er mørkt og uhyggeligt",
    ),
    (
        OFF,
        "kan I fortælle lidt om hvad man gør ved narko der bliver solgt ved skolen? ikke noget"
        " jeg har set selv, bare snak blandt forældre",
    ),
    (OFF, "my neighbour's dog barks all night, is that something the police handle?"),
    (OFF, "hvornår er næste møde for ambassadører i Ikast?"),
    (
        OFF,
        "min søn blev truet i skolen for et halvt år siden, det er løst nu, men hvordan snakker"
        " vi med skolen om mobning",
    ),
    (
        OFF,
        "det lød som skud ude ved skoven ved Tarm, men det er jo jagtsæson så det er nok bare det",
    ),
    (
        OFF,
        "vi har fået nye naboer og de har mange besøg om natten, det er måske ingenting men folk"
        " snakker",
    ),
    (OFF, "hvorfor fik vi ikke besked om indbrudsbølgen i Skjern før det stod i avisen"),
    (
        OFF,
        "kan i ikke gøre noget ved at folk parkerer på cykelstien ved skolen i Lemvig om morgenen",
    ),
    (OFF, "ok tak, det giver mening 👌"),
    (OFF, "jeg har sagt ja til at stå for nabohjælp på vores vej, hvordan kommer jeg i gang"),
    (
        R,
        "har fået en mail om at jeg har vundet en iphone, har ikke klikket på noget. er det"
        " svindel?",
    ),
    (
        OFF,
        "der var en mand der faldt om i Bilka i går, ambulancen kom hurtigt og han var ved"
        " bevidsthed, bare så i ved det",
    ),
    (
        OFF,
        "hvorfor må politiet ikke bare fjerne de biler der kører ræs på havnen i Struer om"
        " lørdagen",
    ),
    (OFF, "Hi, can I bring my kids to the open house at Holstebro police station?"),
    (
        OFF,
        "vi har mistanke om at naboen dyrker hash i sit drivhus, lugter meget, men vi er ikke"
        " sikre",
    ),
    (
        OFF,
        "det var en lidt ubehagelig oplevelse i går, en mand fulgte efter mig fra bussen til min"
        " dør i Herning, han gik bare videre. skal I vide det?",
    ),
    (OFF, "der er en skov af gamle cykler ved stationen i Ikast, hvem rydder op"),
    (OFF, "hvad er reglerne for fyrværkeri nytårsaften i Ringkøbing by"),
    (
        OFF,
        "en ældre herre ringer ofte og spørger efter sin kone som er død, han virker forvirret"
        " men har det ok. hvem kan man kontakte",
    ),
    (
        OFF,
        "i fredags var der slagsmål ved diskoteket i Herning, min datter så det. hun er ok men"
        " lidt rystet, skal hun snakke med nogen",
    ),
    (
        OFF,
        "kan I lave et opslag om at man skal låse bilen, der har været mange tyverier fra ulåste"
        " biler i Tarm",
    ),
    (OFF, "undskyld jeg skrev forkert før, det var ikke meningen at sende det 🙈"),
    (
        OFF,
        "Is there a number I can call if I just want to talk to someone about feeling unsafe in"
        " my area?",
    ),
    (OFF, "hvordan fungerer det med at låne en alkometer til vores ungdomsklub"),
    (
        OFF,
        "der står tit en mand og kigger ind i børnehaven i Vemb om eftermiddagen, han gør ikke"
        " noget, men pædagogerne er bekymrede",
    ),
    (
        OFF,
        "vi har et møde med grundejerforeningen, må vi sige at politiet anbefaler videoovervågning",
    ),
    (OFF, "ikke noget der haster, men gadelygterne på hele Skolevej i Brande er slukket"),
    (OFF, "hvad gør jeg hvis jeg tror en ældre nabo bliver udnyttet økonomisk af sin nevø?"),
    # --- seventh batch (72), written before the seventh round of fixes in the dev set's style
    # and mix (20 acute, 19 report, 33 officer); its honest figures then: acute recall 0.900,
    # acute precision 0.750, report F1 0.824, accuracy 0.861, net cover 0.900, net rate 0.058
    (
        A,
        "der er to fyre der tæsker løs på en tredje ude foran pizzeriaet i Lemvig, han ligger"
        " ned nu",
    ),
    (
        A,
        "min nabo i Struer har lige ringet og sagt farvel og at han ikke orker mere, han tager"
        " ikke telefonen nu",
    ),
    (A, "røg vælter ud under taget på ejendommen overfor i Ringkøbing, tror der er folk inde"),
    (A, "et barn er gaaet gennem isen paa soen ved Brande, vi kan ikke se ham"),
    (A, "bil kørt ind i et træ ved Aulum, føreren sidder fastklemt og bløder"),
    (
        A,
        "someone is kicking in the back door of the bakery in Skive right now, I can hear glass"
        " breaking",
    ),
    (A, "vores 4 årige er væk fra legepladsen i Ikast, har ledt i 20 min"),
    (A, "mand med kniv står og vifter med den ved busterminalen i Herning og råber af folk"),
    (A, "min mor svarer ikke og ligger i sengen og er helt kold og blå om læberne"),
    (
        A,
        "lastbilen foran mig på motorvejen ved Silkeborg kører ind og ud af sporet, tror"
        " chaufføren sover",
    ),
    (A, "der lugter voldsomt af gas i opgangen i Viborg og en dør kan ikke åbnes"),
    (A, "nogen prøver at hive i håndtagene på bilerne ved Føtex i Holstebro, de er der endnu"),
    (A, "han slår hende inde ved siden af, jeg kan høre hun græder og beder ham stoppe"),
    (A, "en ældre dame er faldet i havnen i Hvide Sande og kan ikke komme op"),
    (A, "there's a man on the railway bridge in Struer saying he wants to jump"),
    (A, "nogen er ved at bryde ind i kirken i Vinderup, lommelygter inde i våbenhuset nu"),
    (A, "min søn på 15 har skrevet han har taget en masse piller, han er hjemme alene i Kibæk"),
    (A, "kom hurtigt!! hesten har sparket min datter i hovedet og hun vågner ikke rigtigt"),
    (
        A,
        "der sidder en hund i en lukket bil på p-pladsen i Thisted i den bagende sol, den hiver"
        " efter vejret",
    ),
    (A, "fyr med pistol i bæltet truer ekspedienten i kiosken i Bjerringbro"),
    (R, "nogen har stjålet min knallert fra carporten i Videbæk i løbet af natten"),
    (R, "vil gerne anmelde at vores firmabil er blevet brudt op og værktøjet er væk, Sunds"),
    (R, "fik en sms fra 'postnord' og betalte 25 kr, nu er der trukket 4000 fra min konto"),
    (
        R,
        "min datter blev overfaldet af nogle piger efter byfesten i Ulfborg i weekenden, hun har"
        " blå mærker",
    ),
    (
        R,
        "hvem skal jeg kontakte, der har været nogen inde i vores skur i Grønbjerg mens vi var"
        " paa ferie",
    ),
    (
        R,
        "someone broke the side mirror off my car last night in Herning and left a note with no"
        " name",
    ),
    (R, "har fundet en pung med kørekort i på stien ved Karup å, hvad gør jeg med den"),
    (
        R,
        "nogen har kørt ind i min parkerede bil ved Bilka i Holstebro og kørt videre, der er en"
        " stor bule",
    ),
    (R, "nogen har tændt ild i containeren ved skolen i Harboøre i nat, den er helt udbrændt"),
    (
        R,
        "min mand blev truet af en kunde med en kniv i butikken i går, han er ok men vil anmelde"
        " det",
    ),
    (R, "de har stjålet dieselen fra vores traktorer på marken ved Spøttrup"),
    (R, "jeg har mistet min telefon i toget mellem Skive og Viborg i morges"),
    (R, "indbrud i klubhuset i Kjellerup, opdaget i morges, de har taget kassen og en computer"),
    (R, "der er nogen der har slået alle ruderne ind i busskuret i Bording"),
    (
        R,
        "min svigermor har givet sin mitid til en der sagde han var fra banken, nu er hendes"
        " konto tom",
    ),
    (
        R,
        "I want to report a scam, I paid for a caravan on dba from a guy in Thyborøn and it"
        " doesnt exist",
    ),
    (R, "vores nummerplader er blevet skruet af bilen i nat i Give"),
    (R, "min ekskæreste har sendt mig truende beskeder hele ugen, vil anmelde det"),
    (R, "cyklen er taget fra stativet ved gymnasiet i Struer, den var låst"),
    (OFF, "hej, kommer der nogen fra politiet til vores borgermøde i Hammel i næste uge?"),
    (OFF, "tak for sidst, det var en rigtig god aften med ambassadørerne i Lemvig"),
    (OFF, "hvad gør man egentlig hvis man ser nogen der prøver at bryde ind i en bil?"),
    (OFF, "der var en trafikulykke på rute 16 i går, alle slap med skrammer, bare så I ved det"),
    (
        OFF,
        "der holder en hvid varevogn uden nummerplader ved idrætshallen i Videbæk flere aftener"
        " i træk, ikke akut",
    ),
    (OFF, "kan jeg få nogle af jeres plakater om tricktyveri til ældreklubben i Tarm?"),
    (
        OFF,
        "jeg føler mig utryg ved at gå gennem parken i Ikast om aftenen efter de har fjernet"
        " lamperne",
    ),
    (
        OFF,
        "ikke akut men unge drenge kører stærkt på knallerter på skolens boldbane i Kibæk hver"
        " aften",
    ),
    (
        OFF,
        "Is there a way to get a police visit to our school in Holstebro for a talk about online"
        " safety?",
    ),
    (OFF, "hvor mange indbrud har der været i Herning i år? vi vil bruge det i nyhedsbrevet"),
    (
        OFF,
        "brandøvelse på plejehjemmet i Ringkøbing på torsdag, så bliv ikke forskrækket hvis I"
        " ser røg",
    ),
    (OFF, "min nabo har fortalt at hun blev truet for flere år siden, skal jeg gøre noget nu?"),
    (OFF, "hvordan kan jeg se om en sms om en pakke er svindel?"),
    (OFF, "vi har fået ny formand i nabohjælpsgruppen i Sunds, hvem skal have hans kontaktinfo"),
    (OFF, "det er ok, hunden er fundet igen, tak for hjælpen i går"),
    (OFF, "er der nogen der ved hvornår politiet har åben i Skive? skal bare have en snak"),
    (
        OFF,
        "der står en gammel campingvogn på rastepladsen ved Hvide Sande og har gjort det i 3 uger",
    ),
    (OFF, "kan i komme med nogle gode råd om hvordan man sikrer sin sommerhus inden vinteren"),
    (OFF, "skal vi ringe 112 eller 114 hvis vi ser nogen der kører spritkørsel?"),
    (OFF, "god mødeaften i går, kan I sende referatet?"),
    (OFF, "Thanks for the quick help last week, the kids are doing fine"),
    (OFF, "der var knivstik i Viborg i weekenden har jeg læst, er det noget vi skal være obs på?"),
    (OFF, "hvordan melder jeg mig til at gå med på nattevandring i Struer"),
    (
        OFF,
        "jeg har lagt mærke til at der går en del unge rundt i skoven ved Silkeborg om natten,"
        " det virker som fester, ikke noget farligt",
    ),
    (OFF, "hej Mette, kan vi flytte vores møde til fredag?"),
    (
        OFF,
        "mange i byen snakker om en mand der har spurgt børn om de vil have slik, er der noget"
        " om det?",
    ),
    (OFF, "hvad sker der med de cykler politiet finder, kan man købe dem?"),
    (OFF, "ingen panik, røgen ved Bording er bare en halmbrand som brandvæsenet har styr på"),
    (OFF, "vi vil gerne lave en tryghedsvandring i Thisted, kan en betjent gå med?"),
    (OFF, "kan man få en alarm til sin ældre mor som bor alene ude på landet ved Lemvig?"),
    (OFF, "What happens if I call 112 by mistake? my son did it yesterday"),
    (
        OFF,
        "faldt over at vejskiltet ved Nørre Nebel er væltet, det er ikke farligt men nogen bør"
        " nok rette det",
    ),
    (OFF, "er der noget nyt om den kampagne med lås din cykel i Herning?"),
]


@pytest.fixture(scope="module")
def results() -> list[tuple[str, Route, Classification]]:
    clf = Classifier.from_package_data()
    return [(text, want, clf.classify(text)) for want, text in PROBES]


def _summary(results: list[tuple[str, Route, Classification]]) -> dict[str, float]:
    """Accuracy, acute recall/precision, report F1, acute covered (acute or net), net rate."""
    total = len(results)
    correct = sum(1 for _, want, got in results if got.route == want)
    acute = [got for _, want, got in results if want == Route.ACUTE]
    said_acute = [want for _, want, got in results if got.route == Route.ACUTE]
    hit = sum(1 for got in acute if got.route == Route.ACUTE)
    covered = sum(1 for got in acute if got.route == Route.ACUTE or got.safety_net)
    rep_tp = sum(1 for _, w, g in results if w == g.route == Route.REPORT)
    rep_pred = sum(1 for _, _, g in results if g.route == Route.REPORT)
    rep_true = sum(1 for _, w, _ in results if w == Route.REPORT)
    p = rep_tp / rep_pred if rep_pred else 1.0
    r = rep_tp / rep_true if rep_true else 1.0
    non_acute = [g for _, w, g in results if w != Route.ACUTE]
    return {
        "n": total,
        "accuracy": correct / total,
        "acute_recall": hit / len(acute),
        "acute_precision": sum(1 for w in said_acute if w == Route.ACUTE) / len(said_acute),
        "report_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "acute_covered": covered / len(acute),
        "net_rate_non_acute": sum(1 for g in non_acute if g.safety_net) / len(non_acute),
    }


def test_probe_set_is_large_and_varied() -> None:
    texts = [text for _, text in PROBES]
    assert len(texts) >= 250
    assert len(set(texts)) == len(texts), "duplicate probe"
    assert {want for want, _ in PROBES} == {Route.ACUTE, Route.REPORT, Route.OFFICER}


def test_probe_quality(results: list[tuple[str, Route, Classification]]) -> None:
    fig = _summary(results)
    summary = " ".join(
        f"{key}={value}" if key == "n" else f"{key}={value:.3f}" for key, value in fig.items()
    )
    print("\nclassifier quality on probe set:", summary)
    for text, want, got in results:
        if got.route != want:
            print(f"  MISS want={want} got={got.route}/{got.intent} net={got.safety_net}: {text}")
    assert fig["acute_recall"] >= 0.97, summary
    assert fig["accuracy"] >= 0.90, summary


def test_every_acute_probe_is_routed_or_flagged(
    results: list[tuple[str, Route, Classification]],
) -> None:
    missed = [
        text
        for text, want, got in results
        if want == Route.ACUTE and got.route != Route.ACUTE and not got.safety_net
    ]
    assert not missed, f"acute probes neither routed acute nor safety-netted: {missed}"
