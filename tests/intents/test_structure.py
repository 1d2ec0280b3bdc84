"""The classifier's structure: sentences decide on their own, commands never hide a message,
place names are not keywords, dialect spellings are read, and "matched" holds deciding words.

The sentences are written for these tests; none of them is in the keyword data.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from intents import Classifier, Route, split_command

ACUTE, REPORT, OFFICER = Route.ACUTE, Route.REPORT, Route.OFFICER
DATA = Path(__file__).resolve().parents[2] / "intents" / "data"
STOP_WORDS = {"der", "er", "en", "og", "i", "at", "det", "the", "a", "is", "jeg"}


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.from_package_data()


# --- every sentence counts --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Referat fra bestyrelsesmødet i fredags: kassen stemmer og vi fik ny formand. "
        "Nu ligger der en ældre mand ved indgangen til hallen og han reagerer ikke",
        "Vi havde indbrud i skuret sidste år og har fået ny lås. "
        "Men lige nu står der nogen og roder ved døren til skuret igen",
        "der var brand i en container i går, men nu brænder det igen og flammerne når hækken",
        "Thanks for the meeting last week, it was great. There is a man with a knife "
        "outside the library right now shouting at people",
    ],
)
def test_a_later_sentence_can_make_a_message_acute(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route == ACUTE, result


def test_a_story_keeps_its_past_tense_into_the_next_sentence(clf: Classifier) -> None:
    text = "I lørdags var der slagsmål uden for kroen. En fyr fik en flaske i hovedet."
    assert clf.classify(text).route != ACUTE


def test_a_new_scene_in_the_present_does_not_go_on_with_the_story(clf: Classifier) -> None:
    # The past of a report told first does not reach a scene told in the present after it.
    text = (
        "fik flækket forruden af noget der blev kastet ned fra broen i går aftes, ingen kom til "
        "skade. en fyr står foran bageren og vifter med en kniv mod en dame"
    )
    assert clf.classify(text).route == ACUTE
    # ... while a sentence with no verb of its own still belongs to the story before it.
    story = "I lørdags var der slagsmål uden for kroen. Bagefter en flaske i hovedet på en fyr."
    assert clf.classify(story).route != ACUTE


def test_a_named_harmless_cause_explains_smoke_and_nothing_else(clf: Classifier) -> None:
    explained = (
        "der lugter af røg over hele byen i aften, men det er bare kolonihaveforeningen der "
        "brænder haveaffald af, de har tilladelse"
    )
    got = clf.classify(explained)
    assert got.route == OFFICER and not got.safety_net
    # It speaks for the smoke before it, not for a fire told further back ...
    fire = "kæmpe røgsøjle fra laden ved siden af, vi kan se flammer. " + explained
    assert clf.classify(fire).route == ACUTE
    # ... nor for anything but fire and smoke in its own sentence.
    fight = "der er tilladelse til bål, men nu slås to fyre med knive ved bålet"
    assert clf.classify(fight).route == ACUTE
    # Without the explanation the smoke is an alarm.
    assert clf.classify("der lugter af røg over hele byen i aften").route == ACUTE


def test_everyday_words_are_no_typos_of_keywords(clf: Classifier) -> None:
    # "overfart" (a crossing) is one letter from "overfalt" (assaulted).
    assert clf.classify("stille overfart til Fanø i dag og roligt på havnen").route == OFFICER


def test_dictated_punctuation_ends_a_sentence(clf: Classifier) -> None:
    # Voice input writes "punktum" where a typed message has a full stop; without it the
    # question of the first sentence would reach the scene told in the second.
    text = "hvorfor kører folk så stærkt her punktum en bil kører i zigzag over vejen"
    assert clf.classify(text).route == ACUTE
    asked = "hvorfor kører folk så stærkt her og i zigzag over vejen"
    assert clf.classify(asked).route == OFFICER


def test_reported_and_report_requests_speak_for_their_own_story(clf: Classifier) -> None:
    # An old matter told first as already reported does not make a new emergency told after
    # it "already reported".
    text = (
        "Jeg anmeldte indbruddet for 3 uger siden på politi.dk, hvordan kan jeg se hvor langt "
        "sagen er? min morfar på 87 har ringet og spurgt hvor han er, han står ved en stor vej "
        "og han fryser"
    )
    assert clf.classify(text).route == ACUTE
    # ... while what it says about the story before it still holds.
    told = "der var en mand med kniv ved kiosken i går aftes, det er anmeldt"
    assert clf.classify(told).route != ACUTE
    asked = "vil gerne anmelde et overfald. min søn blev slået ned ved kroen i lørdags"
    assert clf.classify(asked).route == REPORT


def test_a_number_with_a_point_is_no_full_stop(clf: Classifier) -> None:
    # "25.000" was read as "25. 000": a sentence break in the middle of the demand.
    text = (
        "der står 2 mænd hos min nabo på 89 og siger taget skal repareres med det samme, "
        "de vil have 25.000 kontant og hun er ved at finde pengene frem"
    )
    assert clf.classify(text).route == ACUTE


def test_a_scene_told_in_the_present_sets_the_safety_net(clf: Classifier) -> None:
    # No keyword says what it is, but a scene told as it happens is worth a second look ...
    scene = clf.classify("en kvinde ligger i græsset nede ved søen")
    assert scene.route != ACUTE and scene.safety_net
    # ... unlike the same told as over, or an everyday verb ("vi holder møde").
    told = clf.classify("i går lå en kvinde i græsset nede ved søen")
    assert not told.safety_net
    assert not clf.classify("vi holder borgermøde i hallen på tirsdag").safety_net


def test_resolved_speaks_for_what_came_before_not_after(clf: Classifier) -> None:
    over = clf.classify("Min far faldt om i haven i søndags. Han er ok nu og har været ved lægen")
    assert over.route == OFFICER
    again = clf.classify("Alle er ok efter uheldet. Men nu er min mor faldet om og svarer ikke")
    assert again.route == ACUTE


# --- questions, news, prevention and drills ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Er der nyt om indbruddene på Østergade?",
        "Vi vil gerne starte nabohjælp mod indbrud på vores vej, hvordan gør vi?",
        "Har I fanget dem der stod bag overfaldene ved banegården?",
        "Hvor mange knivstikkerier har der været i byen i år?",
        "Beredskabet holder øvelse på havnen på lørdag med røg og 'sårede', bare til info",
        "Any news about the burglaries on our street?",
    ],
)
def test_news_prevention_and_drills_are_for_the_officer(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route == OFFICER, result
    assert not result.safety_net, result


def test_a_question_word_does_not_mute_a_critical_situation(clf: Classifier) -> None:
    result = clf.classify("er der nogen der har set min søn på 4, han er forsvundet fra Netto?")
    assert result.route == ACUTE


def test_found_property_asked_about_is_still_a_report(clf: Classifier) -> None:
    assert clf.classify("fandt en pung i parken, hvor skal jeg aflevere den?").route == REPORT


# --- commands --------------------------------------------------------------------------------


def test_split_command() -> None:
    assert split_command("/hjælp der brænder") == ("hjælp", "der brænder")
    assert split_command("/start@tryghedsbot ABC") == ("start", "ABC")
    assert split_command("hej /hjælp") == (None, "hej /hjælp")
    assert split_command("/") == (None, "/")


@pytest.mark.parametrize("command", ["/hjælp", "/hjaelp", "/help", "/start", "/noget"])
def test_text_after_a_command_is_classified(clf: Classifier, command: str) -> None:
    result = clf.classify(f"{command} der står en mand med en kniv i opgangen")
    assert result.route == ACUTE
    assert not STOP_WORDS & set(result.matched)


def test_a_command_alone_is_not_an_alarm(clf: Classifier) -> None:
    result = clf.classify("/hjælp")
    assert result.route == OFFICER
    assert result.intent == "command"


# --- place names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "vi holder borgermøde i Brabrand på tirsdag",
        "nyt fra Hammerum: loppemarkedet flytter til hallen",
        "kan I komme til Gassum og fortælle om nabohjælp",
        "Tak for turen til Røgen i går",
        "vi bor på Gasværksvej og har et spørgsmål om parkering",
    ],
)
def test_place_names_are_not_keywords(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route == OFFICER, result
    assert not result.safety_net, result


def test_a_lower_case_place_word_keeps_its_meaning(clf: Classifier) -> None:
    assert clf.classify("røgen vælter ud af kælderen hos naboen").route == ACUTE


# --- dialect ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a ka it få liv i æ mand, han ligger ved æ dør",
        "dæ står to karle å slås ve æ busstoppested lige nu",
    ],
)
def test_west_jutlandic_spellings(clf: Classifier, text: str) -> None:
    assert clf.classify(text).route == ACUTE


# --- matched: the words that decided ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "hjælp der er en mand i vandet",
        "Vi vil gerne starte nabohjælp mod indbrud, men lige nu er der indbrud hos naboen",
        "der er en mand der ligger på gulvet og svarer ikke",
    ],
)
def test_matched_holds_deciding_words_not_stop_words(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route == ACUTE
    assert result.matched
    assert not STOP_WORDS & set(result.matched)
    assert all("*" not in word for word in result.matched)


def test_matched_leaves_out_words_that_did_not_decide(clf: Classifier) -> None:
    text = "Vi vil gerne starte nabohjælp mod indbrud, men lige nu er der indbrud hos naboen"
    assert "nabohjælp" not in clf.classify(text).matched


# --- a scene, then "what does one do" ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Goddag der går en lille dreng alene langs landevejen ved Lem hvad skal man gøre "
        "Venlig hilsen Ruth",
        "der sidder en mand helt alene ude på isen på søen hvem skal man ringe til",
    ],
)
def test_a_scene_then_what_does_one_do_asks_for_help_now(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route == ACUTE, result


@pytest.mark.parametrize(
    "text",
    [
        "folk siger der går en mand rundt og prøver bildørene om natten, er det rigtigt?",
        "hvad skal man gøre hvis der går et barn alene langs vejen?",
    ],
)
def test_a_rumour_or_a_hypothetical_scene_stays_talk(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route != ACUTE, result


# --- habits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "de sidste fire nætter har der holdt en varevogn med slukkede lygter ved hallen",
        "der går nogen rundt i vores have flere aftener om ugen, skal vi gøre noget?",
    ],
)
def test_what_is_seen_again_and_again_is_for_the_officer(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route == OFFICER, result
    assert not result.safety_net, result


@pytest.mark.parametrize(
    "text",
    [
        # a habit with a now-cue: going on now
        "der går nogen rundt i vores have flere aftener om ugen, og lige nu er der nogen derude",
        # a habit told before does not make a new emergency a habit
        "vi har badet i havet hver dag. her til aften er min far pludselig blevet helt grå i "
        "ansigtet og siger det trykker i brystet",
    ],
)
def test_a_habit_does_not_hide_what_happens_now(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route == ACUTE, result


# --- a fire put out ends the fire only --------------------------------------------------------


def test_a_fire_put_out_is_over(clf: Classifier) -> None:
    result = clf.classify("det brændte i en skraldespand ved skolen, men det er slukket nu")
    assert result.route == OFFICER, result
    assert "resolved:er slukket" in result.cues, result


@pytest.mark.parametrize(
    "text",
    [
        # "slukket" about a phone or a watch says nothing about a missing child
        "min dreng på 8 skulle have været hjemme fra fodbold for to timer siden, han er ikke "
        "hos vennerne og hans ur er slukket",
        # burns after a fire that was put out still need help
        "der var ild i gryden, den er slukket nu, min mand har forbrændt hele armen og huden "
        "hænger i laser",
    ],
)
def test_a_fire_put_out_does_not_end_anything_else(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route == ACUTE, result


# --- a sentence that turns from a past to now -------------------------------------------------


def test_what_follows_nu_after_a_past_happens_now(clf: Classifier) -> None:
    result = clf.classify("ham der truede mig i sidste uge står nu ved min bil med en kniv")
    assert result.route == ACUTE, result


@pytest.mark.parametrize(
    "text",
    [
        "min cykel blev stjålet i går og nu har jeg fundet den til salg på dba",
        "han slog mig i går, nu har jeg ondt i armen og vil anmelde det",
    ],
)
def test_nu_after_a_past_tells_the_state_after_it(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.route == REPORT, result


def test_an_emergency_after_a_crime_found_afterwards_is_a_story_of_its_own(
    clf: Classifier,
) -> None:
    text = (
        "i morges var der et hul hvor radioen sad og glasskår over hele sædet. min datter på 5 "
        "er væk på stranden ved Søndervig, vi har ledt i 20 min og hun kan ikke svømme"
    )
    assert clf.classify(text).route == ACUTE


def test_a_scene_starts_a_new_story_even_without_a_full_stop(clf: Classifier) -> None:
    # An elderly SMS without punctuation: the theft last night does not make the man on the
    # pavement a thing of the past ...
    text = (
        "vi fik stjålet vores trailer i nat fra indkørslen der ligger en mand på fortovet ovre "
        "på hjørnet og han rører sig ikke"
    )
    assert clf.classify(text).route == ACUTE
    # ... but a scene someone only talks about stays talk.
    rumour = clf.classify("folk siger der ligger en mand i parken om natten, passer det?")
    assert rumour.route != ACUTE


def test_a_bare_hvis_imagines_only_what_follows_it(clf: Classifier) -> None:
    # The knife is in the doorway now; only what he says he will do is conditional ...
    threat = clf.classify(
        "han står i døren med en brødkniv og siger at hvis jeg går så gør han det"
    )
    assert threat.route == ACUTE
    # ... while a question about the rules reaches its whole clause.
    question = clf.classify("må man have en luftriffel i bilen hvis den er låst inde?")
    assert question.route != ACUTE


def test_a_word_that_names_who_is_not_hidden_by_a_sign_that_starts_with_it(
    clf: Classifier,
) -> None:
    # "tyren" says an animal is there; "tyren har fået ..." is the sign. Both count.
    text = "tyren har fået min nabo ned i folden og bliver ved med at stange ham"
    assert clf.classify(text).route == ACUTE


def test_a_wish_to_report_in_its_own_sentence_ends_what_it_tells(clf: Classifier) -> None:
    # Told afterwards: a stranger in town who hit the writer, and the wish to report it ...
    told = "blev slået ned af en fremmed i byen lørdag nat, har været hos lægen, vil anmelde det"
    assert clf.classify(told).route == REPORT
    # ... but a wish to report in the sentence before does not end an emergency told after it.
    seizure = (
        "fik en falsk sms og vil anmelde den. "
        "min kollega ligger på gulvet og ryster, det har varet over fem minutter"
    )
    assert clf.classify(seizure).route == ACUTE


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # on the line with a caller now, about what such callers want: fraud going on
        ("farfar har en fra 'Nets' på højtaler og er ved at finde sin pinkode frem", ACUTE),
        ("my aunt is on facetime with a 'bank advisor' who wants her to approve a transfer", ACUTE),
        ("der er en kunde ved kassen med en i telefonen, hun køber gavekort for 6000", ACUTE),
        # the same call told afterwards is a report, and asked about in general it is talk
        ("min far var i telefonen med en falsk bankmand i går og gav ham koderne", REPORT),
        ("hvordan ved man om det er banken når der er en i telefonen der vil have koden?", OFFICER),
        # a call about nothing such callers want is no sign
        ("min mor er i telefonen med min søster, de snakker om julefrokosten", OFFICER),
    ],
)
def test_a_caller_on_the_line_now_asking_for_codes_is_fraud_going_on(
    clf: Classifier, text: str, want: Route
) -> None:
    assert clf.classify(text).route == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # waiting outside or on the way to collect what such people come for: fraud going on
        ("to mænd holder ude foran og venter på at farmor kommer ud med sine smykker", ACUTE),
        ("a man is on his way to collect my grandfathers bank card, he said he is police", ACUTE),
        # someone who claimed to be from a firm or an authority, there now
        ("ham der sagde han var fra vandværket står nu inde i stuen hos min mor", ACUTE),
        # told afterwards it is a report; waiting for nothing of the kind is no sign
        ("i går ventede en falsk betjent ude foran på at min mor kom ud med sine smykker", REPORT),
        ("taxaen venter ude foran, vi kører til lufthavnen om fem minutter", OFFICER),
    ],
)
def test_someone_waiting_now_to_collect_gold_or_cards_is_fraud_going_on(
    clf: Classifier, text: str, want: Route
) -> None:
    assert clf.classify(text).route == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # someone the writer fears, outside now
        ("min eks står nede på parkeringspladsen og kigger op mod mit vindue", ACUTE),
        ("the guy i blocked is standing outside my building right now", ACUTE),
        # a friend outside is no sign; the same ex last week is a report, not an alarm
        ("min veninde står nede på parkeringspladsen og vinker op til mig", OFFICER),
        ("min eks stod nede på parkeringspladsen i sidste uge, vil gerne anmelde det", REPORT),
    ],
)
def test_someone_the_writer_fears_outside_now_is_a_threat_going_on(
    clf: Classifier, text: str, want: Route
) -> None:
    assert clf.classify(text).route == want


def test_i_nat_with_what_is_coming_is_tonight_not_last_night(clf: Classifier) -> None:
    # "i nat" after a verb of what is coming, or with the weather to come, is tonight: a
    # missing woman is still missing, a threat is still to come ...
    missing = (
        "min svigermor er glemsom. det var for 3 timer siden, hun har ikke sin telefon med, "
        "og det bliver mørkt og frost i nat"
    )
    assert clf.classify(missing).route == ACUTE
    # ... while "i nat" of what happened is last night.
    assert clf.classify("der var indbrud i vores carport i nat, cyklerne er væk").route == REPORT


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a harmless cause named for shots or a weapon ends it, as for smoke ...
        ("mand med pistol på torvet!! rolig, det er en filmoptagelse, de har skilte op", OFFICER),
        ("vi hører skud ved skoven i aften, det er nok jægere efter gæs", OFFICER),
        # ... but a harmless cause denied is no cause, in Danish or in English in a Danish text
        ("der står en mand med en pistol i Netto lige nu, det er ikke en filmoptagelse", ACUTE),
        ("der er skud på skolen, this is not a drill", ACUTE),
        ("det brænder i laden, det er ikke bålet", ACUTE),
        # and for gas: a cause named ends it, a gas smell with nothing to explain it does not
        ("vi havde en CO-alarm der bippede i nat, viste sig at batteriet var fladt", OFFICER),
        ("det lugter af gas i hele opgangen og naboen åbner ikke", ACUTE),
    ],
)
def test_a_harmless_cause_named_ends_shots_but_not_when_denied(
    clf: Classifier, text: str, want: Route
) -> None:
    assert clf.classify(text).route == want


def test_a_harmless_cause_told_as_now_explains_what_came_before_it(clf: Classifier) -> None:
    # "lige nu, men det er sankthansbål": the cause explains the fire told before it ...
    bonfire = "der brænder et kæmpe bål på marken lige nu, men det er sankthansbål"
    assert clf.classify(bonfire).route == OFFICER
    # ... but a fire that spreads after the harmless cause is named is a fire.
    spread = "min nabo står og afbrænder haveaffald og nu brænder hans træskur, han er gammel"
    assert clf.classify(spread).route == ACUTE


@pytest.mark.parametrize(
    "text",
    [
        # what has not happened yet to a missing child is no sign that it is over
        "min søn på 6 er væk, han er ikke blevet fundet endnu",
        "der mangler en dreng på 4 år fra børnehaven, han er ikke blevet hentet",
        "min mor på 84 er væk, ingen har hørt fra hende siden i morges",
        "min mor på 84 med demens er forsvundet, ingen har fundet hende endnu",
        "my daughter (7) is gone from the playground, no one has found her yet",
        "my daughter (7) is gone from the playground, we havent found her yet",
        "en lille pige på 5 står alene ved skolen og græder, ingen har hentet hende",
        "ingen har set noget til min søn på 6 siden i morges",
    ],
)
def test_nobody_has_found_a_missing_person_is_still_missing(clf: Classifier, text: str) -> None:
    assert clf.classify(text).route == ACUTE


@pytest.mark.parametrize(
    "text",
    [
        "der var brand i skuret i nat, ingen er blevet skadet",
        "hunden løb løs i plantagen i går, men ingen er blevet bidt",
        "der var uro ved torvet i weekenden, ingen blev slået",
    ],
)
def test_nobody_hurt_still_ends_what_is_over(clf: Classifier, text: str) -> None:
    assert clf.classify(text).route != ACUTE


@pytest.mark.parametrize(
    "text",
    [
        # not knowing whether it is over is no word that it is
        "bilen ligger på taget i grøften, vi ved ikke om alle er ok",
        "det brænder hos naboen, jeg er ikke sikker på om alle er kommet ud",
        "a car is on its roof in the ditch, we don't know if everyone is okay",
        "the house is on fire and I'm not sure whether everyone got out",
    ],
)
def test_a_doubt_before_an_ending_cue_takes_it_back(clf: Classifier, text: str) -> None:
    assert clf.classify(text).route == ACUTE


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # not knowing what to do while it happens is a plea for help ...
        ("min mand er faldet om og trækker ikke vejret og jeg ved ikke hvad man skal gøre", ACUTE),
        ("my dad collapsed and isnt breathing and I dont know what to do", ACUTE),
        # ... while what one would do in general stays a question
        ("hvad skal man gøre hvis en person falder om og ikke trækker vejret?", OFFICER),
    ],
)
def test_not_knowing_what_to_do_now_is_a_plea(clf: Classifier, text: str, want: Route) -> None:
    assert clf.classify(text).route == want


def _ending_cues(language_file: str) -> list[tuple[str, str]]:
    """Every cue in the language's data that ends or stages a scene, as a writer would type it
    (stems written out; cues with a wildcard left out)."""
    data = tomllib.loads((DATA / language_file).read_text("utf-8"))["cues"]
    return [
        (cue_type, keyword.replace("*", ""))
        for cue_type in ("resolved", "settled", "explained", "put_out", "drill")
        for keyword in data.get(cue_type, {}).get("keywords", [])
        if "_" not in keyword.split()
    ]


@pytest.mark.parametrize(
    ("language_file", "scene", "doubt"),
    [
        ("da.toml", "bilen ligger på taget i grøften", "vi ved ikke om"),
        ("en.toml", "a car is on its roof in the ditch", "we are not sure if"),
    ],
)
def test_no_ending_cue_survives_a_doubt_before_it(
    clf: Classifier, language_file: str, scene: str, doubt: str
) -> None:
    """Whatever the data says ends a scene ("alle er ok", "det er bare bålet", "en øvelse"),
    told as a doubt it ends nothing: an overturned car stays acute. Swept over every such cue,
    so a new one that slips past the doubt fails here. A cue that opens a new sentence ("men
    det er ok") is outside the doubt's clause and may end it."""
    cues = _ending_cues(language_file)
    assert len(cues) > 90
    escaped = [
        (cue_type, cue)
        for cue_type, cue in cues
        if not cue.startswith("men ") and clf.classify(f"{scene}, {doubt} {cue}").route != ACUTE
    ]
    assert not escaped


@pytest.mark.parametrize(
    "text",
    [
        "der ligger en mand og bløder på pladsen, vi ved ikke om det er en øvelse",
        "der ligger en mand og bløder på pladsen, vi er ikke sikre på om det er rollespil",
        "a man is lying in the square bleeding, not sure if it is a drill",
    ],
)
def test_a_drill_in_doubt_stages_nothing(clf: Classifier, text: str) -> None:
    assert clf.classify(text).route == ACUTE


def test_a_drill_announced_still_stages_its_scene(clf: Classifier) -> None:
    assert clf.classify("brandøvelse på skolen kl 10, der kommer røg ud af salen").route != ACUTE
    assert clf.classify("der ligger en mand og bløder på pladsen, det er en øvelse").route != ACUTE


@pytest.mark.parametrize(
    "text",
    [
        "ved ikke om det er noget, men min nabo råber om hjælp inde fra huset og døren er låst",
        "ved ikke om det er noget men der ligger en mand på fortovet og svarer ikke",
    ],
)
def test_not_knowing_whether_it_is_anything_does_not_calm_a_cry_for_help(
    clf: Classifier, text: str
) -> None:
    """ "Ved ikke om det er noget" is the writer's doubt, not "ikke akut": what follows it is
    told as it is."""
    assert clf.classify(text).route == ACUTE


def test_an_opener_after_what_someone_heard_goes_on_with_the_sentence(
    clf: Classifier, tmp_path: Path
) -> None:
    """[sentence_openers] not_after: "der går en" after "hørt" is part of a rumour, not a new
    scene; without the data's list the rumour reads as a fraud to report."""
    from intents.classifier import _PACKAGE_FILES

    text = "har hørt der går en svindel rundt med falske håndværkere i Risskov"
    assert clf.classify(text).route == OFFICER
    paths = []
    for name in _PACKAGE_FILES:
        source = (DATA / name).read_text("utf-8")
        if name == "da.toml":
            start = source.index("not_after = [")
            source = source[:start] + source[source.index("]\n", start) + 2 :]
        (tmp_path / name).write_text(source, "utf-8")
        paths.append(tmp_path / name)
    assert Classifier.from_files(*paths).classify(text).route == REPORT


@pytest.mark.parametrize(
    "text",
    [
        "købte en brugt jolle på dba, betalte 15.000 og nu er sælgeren væk og svarer ikke",
        "lånte min bil ud til en bekendt og han har ikke leveret den tilbage og svarer ikke",
    ],
)
def test_someone_who_does_not_answer_about_money_is_no_one_unconscious(
    clf: Classifier, text: str, tmp_path: Path
) -> None:
    """An intent's "unless" words mute it in their sentence: a seller or a borrower gone quiet
    is a matter to report, not a person who cannot answer. Without the data's list the same
    message gets the 112 answer."""
    from intents.classifier import _PACKAGE_FILES

    assert clf.classify(text).route != ACUTE
    paths = []
    for name in _PACKAGE_FILES:
        source = (DATA / name).read_text("utf-8")
        if name == "da.toml":
            start = source.index("unless = [", source.index("[intents.no_answer]"))
            source = source[:start] + source[source.index("]\n", start) + 2 :]
        (tmp_path / name).write_text(source, "utf-8")
        paths.append(tmp_path / name)
    assert Classifier.from_files(*paths).classify(text).route == ACUTE


@pytest.mark.parametrize(
    "text",
    [
        "vi lånte ham penge i sommer. nu svarer han ikke og ligger helt stille i sengen",
        "min mor svarer ikke og hun ligger på gulvet i køkkenet",
    ],
)
def test_a_person_who_does_not_answer_is_unconscious_outside_the_money_sentence(
    clf: Classifier, text: str
) -> None:
    """The "unless" words reach their own sentence only: money lent last summer does not mute
    a person who does not answer now."""
    assert clf.classify(text).route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("min mor på 82 har givet et 'barnebarn' 20.000 kontant i dag, det var ikke ham", REPORT),
        ("fik en sms fra 'min søn' på et nyt nummer og sendte ham 4.000 i går", REPORT),
        ("ungdomsklubben vil lave en 'spørg en betjent' aften, har I tid i februar?", OFFICER),
    ],
)
def test_a_role_in_quotes_is_somebody_pretending_to_be_it(
    clf: Classifier, text: str, route: Route
) -> None:
    """[quoted]: 'barnebarn', 'min søn' in quotes is an impostor, a fraud to report when
    something changed hands; a quoted title of an evening is not."""
    result = clf.classify(text)
    assert result.route == route
    if route == REPORT:
        assert any(word.startswith("'") for word in result.matched)


@pytest.mark.parametrize(
    "text",
    [
        "min cykel er væk fra stativet, får jeg den tilbage?",
        "vores gasgrill er væk fra sommerhuset, vi har ikke været her siden påske",
        "mine 4 får er væk fra folden og hegnet er klippet over, opdaget i morges",
    ],
)
def test_words_that_fold_like_a_person_do_not_make_a_thing_a_missing_person(
    clf: Classifier, text: str
) -> None:
    """ "får" (gets, sheep) folds like "far" and Danish "her" (here) like English "her": neither
    may stand for the person a missing-person sign needs."""
    assert clf.classify(text).route == REPORT


def test_the_lake_is_nobody_s_son(clf: Classifier) -> None:
    """ "søen" (the lake) folds like "søn" (son) and English "son": a kayak gone from the lake
    is a theft to report, not a missing child."""
    assert clf.classify("min kajak er væk fra bredden ved søen").route == REPORT
    assert clf.classify("min søn er væk fra stranden ved søen").route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("there is a big fight outside the bar right now", ACUTE),
        ("two guys in a fistfight outside netto, one is down", ACUTE),
        ("Last night there was a big fight outside the bar, police took two guys away", REPORT),
    ],
)
def test_a_fight_named_as_a_noun_is_over_when_told_in_the_past(
    clf: Classifier, text: str, route: Route
) -> None:
    """'fight' names an incident like 'slåskamp': acute while it goes on, over when told in the
    past; 'fighting' and 'beating' still describe one happening."""
    assert clf.classify(text).route == route


def test_two_words_joined_must_both_reach_into_a_stem(clf: Classifier) -> None:
    """Split words are joined ("ind brud"), but a stem that takes only two letters of the second
    word is chance: "fra december" is no "fråde*" (foaming at the mouth)."""
    assert clf.classify("hvornår er der nattevandring? vil gerne være med fra december").route == (
        OFFICER
    )
    assert clf.classify("han fråder om munden og ryster").route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "han har fundet ud af hvor jeg bor og står udenfor og banker på vinduet nu",
            ACUTE,
        ),
        ("kom hjem og fandt terrassedøren brudt op og der er stadig lyde ovenpå", ACUTE),
        ("kom hjem i går og fandt terrassedøren brudt op, fjernsynet er væk", REPORT),
    ],
)
def test_a_past_verb_does_not_end_what_is_still_going_on(
    clf: Classifier, text: str, route: Route
) -> None:
    """Finding out where someone lives is no past event, and sounds still heard upstairs say
    the intruder is there now; a break-in found with things gone is a report."""
    assert clf.classify(text).route == route


def test_danish_four_is_no_english_fire(clf: Classifier) -> None:
    """Danish 'fire' (four) counting days or people is no English 'fire'; a fire is still one."""
    text = "den samme bil holder ved sportspladsen de sidste fire eftermiddage"
    assert clf.classify(text).route == OFFICER
    assert clf.classify("the house next door is on fire, flames from the roof").route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("nu svarer hun ikke når jeg banker på", ACUTE),
        ("min mor betalte sine regninger i går. nu svarer hun ikke når jeg banker på", ACUTE),
        ("jeg betalte 3000 for en cykel og nu svarer han ikke", REPORT),
    ],
)
def test_no_answer_at_the_door_told_verb_first(clf: Classifier, text: str, route: Route) -> None:
    """Danish puts the verb first after "nu": nobody answering the door is still an emergency,
    money named in another sentence does not calm it, and a seller gone quiet is a report."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("mit barnebarn på 4 var i haven for lidt siden og nu er han her ikke", ACUTE),
        ("mit barnebarn på 4 var væk i en time i går, men vi fandt ham hos naboen", OFFICER),
    ],
)
def test_a_missing_child_told_with_a_past_verb_stays_missing_when_now_says_so(
    clf: Classifier, text: str, route: Route
) -> None:
    """'var i haven for lidt siden' says when the child was last seen; 'og nu er han her ikke'
    says it is still going on. Found again, it is over."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("snydt af en håndværker der fik 30.000 i forskud, nu tager han ikke telefonen", REPORT),
        ("min mor betalte sine regninger i går. nu tager hun ikke telefonen", ACUTE),
        ("min far (88) tager ikke telefonen", ACUTE),
    ],
)
def test_money_told_with_a_crime_reaches_the_next_sentence(
    clf: Classifier, text: str, route: Route
) -> None:
    """Someone who took money under false pretences and now does not pick up has gone quiet;
    everyday money in the sentence before leaves a parent who does not answer an emergency."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("cyklen er væk IGEN!!! stod ved stationen", REPORT),
        ("han er væk!!!", ACUTE),
        ("min datter på 4 er væk!!", ACUTE),
    ],
)
def test_gone_told_of_a_thing_is_no_missing_person(
    clf: Classifier, text: str, route: Route
) -> None:
    """ "er væk" right after a thing one can lose is that thing gone, however loudly told; after
    a person, or with nobody named, it stays danger vocabulary."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("der var brand i laden i går, brandvæsenet kom", OFFICER),
        ("så I den store brand i byen i går?", OFFICER),
        ("flammer ud af saunaen i klubhuset, et par af de gamle var derinde for lidt siden", ACUTE),
        ("der brænder i laden nu", ACUTE),
    ],
)
def test_a_fire_with_a_past_time_right_by_it_is_over(
    clf: Classifier, text: str, route: Route
) -> None:
    """A fire does not burn on unseen for a day: "brand i går" is news. A past told further off
    is about something else, and the fire is still burning."""
    assert clf.classify(text).route == route


def test_in_danger_is_no_statistics(clf: Classifier) -> None:
    """ "fare" (danger) and "færre" (fewer, a word of statistics) fold alike; typed as "fare" it
    is not talk in general, and a caller at the door for the card is an emergency."""
    text = (
        "min mor har fået opkald fra 'politiet' om at hendes kort er i fare og nu står der en"
        " mand ved hendes dør for at hente kortet"
    )
    assert clf.classify(text).route == ACUTE
    assert clf.classify("der er færre indbrud i år end sidste år").route == OFFICER


def test_a_family_name_is_no_crowbar(clf: Classifier) -> None:
    """ "Kofoed", a common name on Bornholm, folds like "kofod" (a crowbar): in a signature it is
    a name, and the crowbar itself is still a break-in tool."""
    text = "Kan I komme og fortælle om indbrudssikring i klubben. Mvh formanden Arne Kofoed Nexø"
    assert clf.classify(text).route == OFFICER
    assert clf.classify("der står en mand med en kofod ved bagdøren hos naboen").route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("min nabo har lagt op på fb at han tager sit liv i nat", ACUTE),
        ("jeg har set på fb at der har været indbrud på vejen, er det rigtigt?", OFFICER),
    ],
)
def test_a_post_by_the_one_in_danger_is_no_rumour(clf: Classifier, text: str, route: Route) -> None:
    """What someone posted about himself is his own word, not talk on Facebook; what others
    write there about the neighbourhood is."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("er det normalt at en mand står i vinduet med et gevær og sigter mod legepladsen?", ACUTE),
        ("er det normalt at man må have et gevær i vinduet?", OFFICER),
        ("det har dryppet fra loftet i opgangen hele ugen og viceværten svarer ikke", OFFICER),
    ],
)
def test_what_is_happening_stays_real_when_asked_about(
    clf: Classifier, text: str, route: Route
) -> None:
    """Aiming a gun is happening as it is told, even inside "er det normalt at ...?"; a gun
    asked about is a question. A caretaker who does not answer is no one in danger."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "hvad gør man hvis ens mand pludselig ikke kan tale ordentligt og hænger i den ene "
            "side af ansigtet? det er det der sker med min mand",
            ACUTE,
        ),
        ("what do you do if someone has a seizure? that is what is happening to my son", ACUTE),
        (
            "hvad gør man hvis ens mand pludselig ikke kan tale ordentligt? vi skal have "
            "førstehjælpskursus i foreningen",
            OFFICER,
        ),
    ],
)
def test_a_question_answered_by_what_is_happening_is_real(
    clf: Classifier, text: str, route: Route
) -> None:
    """ "Det er det der sker" after a question says the question was no hypothesis: the
    emergency it asked about is going on; a question followed by anything else stays one."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "der sidder en mand helt stille på molen og rører sig ikke... nåh han fisker. glem det",
            OFFICER,
        ),
        ("a man is lying face down on the beach!! oh he is just sleeping, never mind", OFFICER),
        ("glem det jeg skrev før. lige nu slår to mænd løs på en tredje foran kiosken", ACUTE),
        (
            "der ligger en mand på fortovet og rører sig ikke, vi ved ikke om det er falsk alarm",
            ACUTE,
        ),
        ("der er røg fra naboens tag, jeg vil ikke lave falsk alarm men hvad gør jeg", ACUTE),
    ],
)
def test_an_alarm_taken_back_ends_what_came_before(
    clf: Classifier, text: str, route: Route
) -> None:
    """ "Glem det" and "falsk alarm" take back the alarm told before them, even a critical one;
    an emergency told after them stands, and neither a doubt nor a worry about raising a false
    alarm takes anything back."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "en ældre mand fra vejen går tit rundt i nattøj om morgenen, men han finder altid hjem",
            OFFICER,
        ),
        ("en ældre mand fra vejen går rundt i nattøj ude på landevejen lige nu", ACUTE),
    ],
)
def test_what_is_seen_again_and_again_is_a_pattern(
    clf: Classifier, text: str, route: Route
) -> None:
    """A vulnerable person seen wandering "tit" is a pattern for the officer; told as going on
    now, the same sight is an emergency."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("manden der snuppede min taske kørte mod Holstebro i en grå Golf for 2 min siden", ACUTE),
        ("tyven kørte mod Holstebro i en grå Golf i går, jeg vil gerne anmelde det", REPORT),
    ],
)
def test_someone_getting_away_just_now_can_still_be_caught(
    clf: Classifier, text: str, route: Route
) -> None:
    """The way a thief went, minutes ago, is for 1-1-2: they can still be caught; told the
    next day it is a report."""
    assert clf.classify(text).route == route


def test_have_is_not_withdraw(clf: Classifier) -> None:
    """ "have" (to have) folds like "hæve" (to withdraw cash): a son who wants his mother to
    have a key box is no caller pressing her for money, while cash drawn for a caller is."""
    text = "min datter vil have mig til at få et nyt låsesystem, er det sikkert nok?"
    assert clf.classify(text).route == OFFICER
    text = "en mand i telefonen vil have min mor til at hæve 20.000 nu, hun er i banken"
    assert clf.classify(text).route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "en fyr i en hvid bil tilbyder drengene 3000 kr for at låne deres bankkonto, han "
            "holder ved hallen lige nu",
            ACUTE,
        ),
        (
            "min datter fik et tilbud på snap om at låne sin bankkonto ud for penge, hun "
            "sagde nej. hvem kan vi tale med?",
            OFFICER,
        ),
    ],
)
def test_a_money_mule_recruiter_there_now_is_acute(
    clf: Classifier, text: str, route: Route
) -> None:
    """Teenagers offered cash to "borrow" their bank account by someone there now: to be
    stopped while he is there; an offer told of afterwards is for the officer."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("vandet står højt ved slusen i aften og går op over stien, bare så I ved det", OFFICER),
        ("vandet står højt i kælderen hos min far og han kan ikke komme op af stolen", ACUTE),
    ],
)
def test_high_water_alone_decides_nothing(clf: Classifier, text: str, route: Route) -> None:
    """High water sets the net; it is an emergency when someone is in it or cut off by it."""
    result = clf.classify(text)
    assert result.route == route
    assert result.route == ACUTE or result.safety_net


def test_a_cry_for_help_taken_back_at_once_is_no_cry(clf: Classifier) -> None:
    """ "HJÆLP - nej undskyld" opens with a cry and takes it back in the next word."""
    text = "HJÆLP - nej undskyld, ingen panik 😅 vil bare spørge om I har plakater om indbrud"
    assert clf.classify(text).route != ACUTE
    assert clf.classify("HJÆLP min mand trækker ikke vejret").route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("HJÆLP 😂 printeren i klubhuset vil ikke printe plakaterne, kan du sende en pdf", OFFICER),
        ("HJÆLP 😂 nej spøg, men hvornår er næste møde?", OFFICER),
        ("hjælp der er en mand med en kniv i opgangen 😭", ACUTE),
    ],
)
def test_a_cry_for_help_laughed_at_is_a_figure_of_speech(
    clf: Classifier, text: str, route: Route
) -> None:
    """ "HJÆLP 😂" opens a joke or a small trouble; the rest of the message is still read,
    so an emergency told after the cry is acute however it opens."""
    assert clf.classify(text).route == route


def test_a_mass_mail_asking_for_bitcoin_is_a_scam_received(clf: Classifier) -> None:
    """A mail claiming a webcam video and asking for bitcoin is sent to thousands: a report;
    a teenager pressed for more pictures now is extortion going on."""
    text = "fik en mail om at de har optaget mig på webcam og vil have bitcoin ellers sender de det"
    assert clf.classify(text).route == REPORT
    text = "en fyr på snap siger han deler billederne af min søn hvis han ikke sender flere nu"
    assert clf.classify(text).route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("beder banken nogensinde en om at flytte penge til en sikker konto?", OFFICER),
        (
            "banken ringer lige nu og vil have min mor til at flytte penge til en sikker konto",
            ACUTE,
        ),
    ],
)
def test_nogensinde_asks_how_things_are(clf: Classifier, text: str, route: Route) -> None:
    """ "Nogensinde" (ever) asks how things work in general, not about a call going on."""
    assert clf.classify(text).route == route


def test_the_siren_test_is_no_cry(clf: Classifier) -> None:
    """The sirens howl at noon on the first Wednesday of May: a test, not someone in distress."""
    assert (
        clf.classify("det hyler fra taget på rådhuset, onsdag kl 12, er det en test?").route
        != ACUTE
    )
    assert clf.classify("der er en der hyler og skriger inde hos naboen lige nu").route == ACUTE


def test_a_night_shift_is_no_past(clf: Classifier) -> None:
    """ "Ingen på vagt i nat" says who is on duty tonight; it does not put what is going on in
    the past."""
    text = "to mænd læsser paller i en lastbil på lageret nu, der er ingen på vagt i nat"
    assert clf.classify(text).route == ACUTE


def test_thanks_in_a_run_on_message_does_not_mute_what_follows(clf: Classifier) -> None:
    """An SMS without full stops opens with thanks ("tak for sidst"), a general cue; "jeg skal
    lige sige at" turns to why they write, and that part is read on its own."""
    text = (
        "Hej tak for sidst til kaffen det var hyggeligt jeg skal lige sige at min mand er gået "
        "ud i nat i bare sokker han har demens og jeg kan ikke finde ham hilsen Else"
    )
    assert clf.classify(text).route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("min far var jæger, må jeg beholde hans gevær i et skab?", OFFICER),
        ("en stor hund jager fårene rundt på marken og har bidt et af dem lige nu", ACUTE),
    ],
)
def test_a_hunter_is_not_a_chase(clf: Classifier, text: str, route: Route) -> None:
    """ "Jæger" (a hunter) folds like "jager" (chases): a hunter is no pursuit."""
    assert clf.classify(text).route == route


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("hvornår kan isen holde? børnene vil ud på søen i morgen", OFFICER),
        ("børnene er gået ud på søen og isen knager under dem", ACUTE),
        (
            "det lugter af gas i opgangen af og til, ikke lige nu, men flere gange i sidste uge",
            OFFICER,
        ),
    ],
)
def test_a_plan_or_a_smell_that_is_not_there_now_is_no_emergency(
    clf: Classifier, text: str, route: Route
) -> None:
    """ "Vil ud på" is a plan and "ikke lige nu" says the danger is not there now; children on
    creaking ice are an emergency."""
    assert clf.classify(text).route == route


def test_a_slip_corrected_takes_no_alarm_back(clf: Classifier) -> None:
    """ "Eller nej det var Rema" corrects a detail; it is no "nej det var bare ..." that takes an
    alarm back, so the neighbour found lying later in the same run-on SMS is still acute."""
    text = (
        "vi var ude at handle i Netto eller nej det var Rema og da vi kom hjem ligger naboen i "
        "gangen og han siger ikke noget"
    )
    assert clf.classify(text).route == ACUTE


def test_what_a_fake_officer_says_he_protects_is_no_campaign(clf: Classifier) -> None:
    """ "For at beskytte dem" is what a false policeman says when he comes for the jewellery;
    it does not make the pickup talk about prevention."""
    text = (
        "en mand der siger han er fra politiet er på vej herud for at hente min mors smykker "
        "for at beskytte dem"
    )
    assert clf.classify(text).route == ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "nogen har lige skudt ved stationen, folk løber, det lød som rigtige skud "
            "ikke kanonslag",
            ACUTE,
        ),
        ("det knaldede ved stationen i aften, men det var bare kanonslag", OFFICER),
    ],
)
def test_a_harmless_cause_denied_explains_nothing(clf: Classifier, text: str, route: Route) -> None:
    """ "Ikke kanonslag" rules the harmless cause out: the shots stand."""
    assert clf.classify(text).route == route


def test_the_chair_is_not_stolen(clf: Classifier) -> None:
    """Danish "stolen" (the chair) is spelt like English "stolen": a father in his chair is no
    theft, and a bike stolen is still one."""
    assert clf.classify("min far sidder hele dagen i stolen ved vinduet").route == OFFICER
    assert clf.classify("someone has stolen my bike at the station, it was locked").route == REPORT


def test_the_writer_not_answering_is_no_one_missing(clf: Classifier) -> None:
    """ "Jeg svarer ikke" is the writer ignoring a scam number, not someone who does not answer."""
    text = "jeg får hele tiden opkald fra et udenlandsk nummer, jeg svarer ikke. skal I vide det?"
    assert clf.classify(text).route != ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("Hej. Jeg. Kan. Ikke. Få. Vejret. Min. Spray. Er. Væk.", ACUTE),
        ("Min. Mand. Trækker. Ikke. Vejret", ACUTE),
        ("Tak. For. Sidst. Mvh. Bent.", OFFICER),
    ],
)
def test_a_message_typed_word_by_word_is_one_sentence(
    clf: Classifier, text: str, route: Route
) -> None:
    """Someone short of breath may end every word with a full stop; read one word at a time, no
    sentence holds the situation."""
    assert clf.classify(text).route == route


def test_two_short_sentences_stay_apart() -> None:
    """Two one-word sentences are not yet a run: "Nej. Brand." stays two sentences."""
    from intents.normalise import SENTENCE_END, join_word_sentences

    tokens = ["nej", SENTENCE_END, "brand", SENTENCE_END]
    assert join_word_sentences(tokens) == tokens
    assert join_word_sentences(["a", SENTENCE_END, "b", SENTENCE_END, "c"]) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "Last saturday I was in the town and after the pub 3 men follow me and hit me and "
            "take my wallet and phone. I have only bruises now. My friend say I must go to "
            "police, how I do it?",
            REPORT,
        ),
        ("two men are fighting with knives outside the station right now", ACUTE),
    ],
)
def test_english_men_are_no_danish_but(clf: Classifier, text: str, route: Route) -> None:
    """ "3 men" in English is the men, not Danish "men" (but): the clause goes on, and the past
    told at its start reaches the blows."""
    assert clf.classify(text).route == route


def test_men_after_a_time_is_still_but_in_danish() -> None:
    """ "kl 2 men de var væk" is Danish: after a number, "men" is only the men in English."""
    from intents.normalise import CONTRAST_BREAK, clean, english_men, message_tokens

    tokens = message_tokens(clean("vi hørte det kl 2 men de var væk"))
    assert english_men(tokens, english=False)[5] == CONTRAST_BREAK
    assert english_men(tokens, english=True)[5] == "men"


def test_calming_rumours_is_no_steam(clf: Classifier) -> None:
    """ "Dæmpe" (to calm) folds like "dampe" (steam); kept as typed, calming a rumour after a
    death last month is a question for the officer, not a danger now."""
    text = (
        "Som mange ved blev der fundet en død mand i Langsø sidste måned. Folk spekulerer i "
        "mord. Jeg prøver at dæmpe det. Kan I sige noget jeg må dele?"
    )
    assert clf.classify(text).route != ACUTE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("må en 15-årig have luftgevær? min søn vil have et til jul", OFFICER),
        ("is it ok to leave the kids in the car for 5 min while I shop?", OFFICER),
        ("naboen skyder efter krager med luftbøsse i haven, er det lovligt?", OFFICER),
        ("min nabo har sat et kamera op der peger ind i vores have. er det lovligt?", OFFICER),
        # back over a sentence that names nothing, to the one that told it
        (
            "det ryger hver weekend fra naboens sommerhus og lugter som brændt plastik. ikke "
            "noget der haster, men er det lovligt?",
            OFFICER,
        ),
        # at the start of a clause it asks without "?" too; inside a clause it needs one
        (
            "naboen har en samling på 20 knive og økser i garagen, er det lovligt at have så mange",
            OFFICER,
        ),
        ("naboens søn skyder på katten med luftgevær lige nu er det lovligt", ACUTE),
        # "må jeg" is asked in an emergency too
        ("der ligger en mand bevidstløs på vejen, må jeg flytte ham?", ACUTE),
        # a scene told before the question is still told
        ("der står en dreng ude på isen og den knager, må man det?", ACUTE),
        # a question about a rule does not reach a scene in the sentence after it
        ("er det lovligt at filme? der ligger en mand bevidstløs på vejen", ACUTE),
    ],
)
def test_a_rule_asked_about_is_no_emergency(clf: Classifier, text: str, route: Route) -> None:
    """ "Er det lovligt?" asks about a rule, even of a critical thing (a weapon, a child left in
    a car); the net stays on for it. A scene told first, or "må jeg", stays an emergency."""
    result = clf.classify(text)
    assert result.route == route
    if route == OFFICER:
        assert result.intent.startswith("question")


def test_a_long_message_without_punctuation_is_read_clause_by_clause() -> None:
    """A run of 30 words with no break is split where a new subject and its verb start, not
    after a verb ("har jeg set") nor after a word that binds ("siger han er", "at han står")."""
    from intents.normalise import SENTENCE_BREAK, clean, message_tokens, split_run_ons

    text = (
        "tak for kaffen sidste år det var hyggeligt og vi snakker stadig om det i klubben min "
        "nabo siger han er syg og i dag har jeg set at han står ude ved vejen i bare underbukser"
    )
    tokens = split_run_ons(message_tokens(clean(text)))
    clauses = [c.split() for c in " ".join(tokens).split(SENTENCE_BREAK)]
    assert [c[:2] for c in clauses] == [["tak", "for"], ["vi", "snaker"]]
    short = message_tokens(clean("min søn siger han har det fint og jeg tror ham"))
    assert split_run_ons(short) == short


def test_a_plan_in_a_run_on_message_reaches_its_own_clause(
    clf: Classifier,
) -> None:
    """ "Skulle have været" (a plan, talk) reaches its own clause in a message typed without
    punctuation, not the child not come home from school told before it."""
    text = (
        "vores 7 årige er ikke kommet hjem fra skole i dag og vi har ringet til alle "
        "forældrene i klassen han skulle have været her for 2 timer siden og ingen af vennerne "
        "har set ham"
    )
    assert clf.classify(text).route == ACUTE


def test_to_trust_is_no_theft(clf: Classifier) -> None:
    """Danish "stole på" (to trust) is no English "stole"."""
    assert clf.classify("jeg kan ikke stole på min nabo længere").route == OFFICER


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "røgen fra naboens skorsten er helt sort og tyk hver aften, det sviner hele haven til",
            OFFICER,
        ),
        ("der ligger en mand på bænken ved stationen hver morgen og sover", OFFICER),
        # a turn to now still counts
        (
            "der kommer sort røg fra skorstenen hver aften og nu slår der flammer ud af taget",
            ACUTE,
        ),
        # a low spell for weeks, and a goodbye just now
        ("min veninde har været helt nede i ugevis og har lige skrevet farvel til alle", ACUTE),
    ],
)
def test_a_critical_state_told_as_a_habit_is_no_emergency(
    clf: Classifier, text: str, route: Route
) -> None:
    """Smoke every evening or a man on a bench every morning is seen again and again, not a
    fire or a collapse going on unseen; a now-cue in the sentence keeps it an emergency."""
    assert clf.classify(text).route == route


def test_a_rescue_does_not_end_the_state_of_the_rescued(clf: Classifier) -> None:
    """Getting someone out of the water ends the drowning, not a breathing stopped after it;
    the ambulance or "only wet and cold" says it ended well."""
    assert (
        clf.classify("vi fik ham op af vandet for lidt siden og han trækker ikke vejret").route
        == ACUTE
    )
    text = "et barn brød gennem isen i går, en nabo fik ham op og han var kun våd og kold"
    assert clf.classify(text).route != ACUTE


def test_a_person_found_is_not_a_person_safe(clf: Classifier) -> None:
    """ "Vi fandt hende" ends a search, not the state she was found in."""
    text = "hun har ikke rørt sig siden vi fandt hende, hun er iskold og ånder meget svagt"
    assert clf.classify(text).route == ACUTE
    assert clf.classify("vores datter forsvandt i Føtex, vi fandt hende i legetøjet").route != ACUTE
