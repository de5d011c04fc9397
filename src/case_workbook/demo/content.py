"""What the demo case holds: a fictional story, written as the person would
enter it, in plain data.

Every name, place, number and event here is invented. Items refer to each
other by the short keys below ("ray", "t_gun", "dx_calls"); `build.py` turns
those keys into the ids the case hands out. Whens are typed text, read with
`parse_when` in the demo's time zone. `themes` maps a theme id of the general
framework to the person's note on why the item relates to it.
"""

from __future__ import annotations

from case_workbook.model.case import CaseHeader
from case_workbook.model.items import (
    ActionType,
    Channel,
    Delivery,
    Direction,
    KeyMoment,
    Preserved,
    Role,
    Target,
)

TZ = "America/Los_Angeles"
FRAMEWORK = "general"

HEADER = CaseHeader(
    title="People v. Doe (demo)",
    defendant="J. Doe (pseudonym)",
    charges=["Vehicle Code §10851 — unlawful taking or driving of a vehicle"],
    jurisdiction="California (fictional demo case)",
    court="Superior Court, County of Harbor (fictional)",
    case_number="DEMO-2026-0001",
    counsel="Demo Counsel",
    prepared_by="Demo paralegal",
)

# --- People -------------------------------------------------------------------

PEOPLE: dict[str, dict] = {
    "doe": dict(
        name="J. Doe", role=Role.DEFENDANT, aliases=["Jay"],
        contact="Through Demo Counsel",
        summary="Valet at The Lantern Grill, 400 Harbor Street; lives at Linden Court with his sister.",
    ),
    "ray": dict(
        name="Ray Marlow", role=Role.COERCER, aliases=["Ray M", "@ray.marlow.77"],
        contact="(555) 010-0199; drives a black pickup",
        relation="Worked with me at the Harbor Street car wash in 2025.",
        summary="Made the threats and demanded I take a car from the valet lot.",
        notes="I borrowed $300 from him in January 2026 and paid it back in February. "
              "He brought that up again in March.",
        themes={"own_fault": "How I knew him, and the money I borrowed and paid back."},
    ),
    "pike": dict(
        name="Dale Pike", role=Role.OTHER, aliases=["Pike"],
        contact="Not known",
        relation="A friend of Ray Marlow; I had met him twice before March.",
        summary="Came with Ray on 14 March and took the car keys at Pier Road.",
    ),
    "rosa": dict(
        name="Rosa Doe", role=Role.FAMILY,
        contact="(555) 010-0142; works evenings at Bayview Pharmacy",
        relation="My sister; we share the apartment at Linden Court.",
        summary="Named in Ray's threats; took my call after he left.",
        themes={"nature_of_threat": "Ray named her in the texts and on the phone."},
    ),
    "ada": dict(
        name="Ada Fenwick", role=Role.WITNESS,
        contact="(555) 010-0177; apartment 2B, Linden Court",
        relation="Next-door neighbour.",
        summary="Was in the Linden Court parking lot on 11 March.",
    ),
    "quill": dict(
        name="Officer M. Quill", role=Role.OFFICER, aliases=["Badge 4417"],
        contact="Harbor City Police Department, Central Station, (555) 010-0100",
        relation="None; the officer I spoke to at Central Station.",
        summary="Took my account and arrested me on 15 March.",
    ),
}

# --- Exhibit files: made at build time, never stored in the source tree ----------

VOICEMAIL_TRANSCRIPT = """\
Transcript typed by Rosa Doe on 16 March 2026 from a voicemail on her phone.
Caller shown on the phone: Ray M, (555) 010-0199
Time the voicemail arrived: not yet checked (she listened to it at about 07:00 on 15 March)
Length shown on the phone: 0:19

"It's Ray. Tell your brother to keep his mouth shut and nobody gets hurt. [inaudible] I know where you park."
"""

CALL_LOG = """\
date,time,direction,number,name,duration
2026-03-12,21:40,incoming,(555) 010-0199,Ray M,0:00 (missed)
2026-03-14,20:14,incoming,(555) 010-0199,Ray M,3:12
2026-03-14,23:18,outgoing,(555) 010-0142,Rosa,4:05
2026-03-14,23:31,outgoing,911,,6:02
"""

INCIDENT_REPORT = """\
HARBOR CITY POLICE DEPARTMENT (fictional) - INCIDENT REPORT, EXCERPT
Report no. DEMO-HC-26-0315 | Reporting officer: M. Quill, badge 4417
Pages PEOPLE-000123 to PEOPLE-000125 of the discovery received.

p.123  At about 22:20 on 14 March 2026 the manager of The Lantern Grill reported
       a customer's silver sedan missing from the valet lot.
p.124  At 23:31 a caller on Pier Road told 911 that he had been made to drive
       a car to a storage yard. At about 00:20 on 15 March J. Doe came to
       Central Station with his sister and gave an account.
p.125  J. Doe was arrested at 01:05 on 15 March 2026. The sedan was found inside
       the Pier Road storage yard.
"""

# key: (file name, what goes in it: text, or "png" for a small grey picture, fields)
EXHIBITS: dict[str, tuple[str, str, dict]] = {
    "dx_voicemail": ("voicemail_transcript_2026-03-15.txt", VOICEMAIL_TRANSCRIPT, dict(
        summary="Typed transcript of Ray Marlow's voicemail on Rosa's phone",
        custody="Rosa Doe typed it on 16 March 2026 while playing the voicemail; "
                "the audio is still on her phone. Emailed to Demo paralegal the same day.",
        when="2026-03-16", people=["rosa", "ray"],
        themes={"nature_of_threat": "His words, as Rosa heard them."},
    )),
    "dx_calls": ("call_log_2026-03-12_to_15.csv", CALL_LOG, dict(
        summary="Call log from my phone carrier, 12 to 15 March 2026",
        custody="Downloaded by Demo paralegal from J. Doe's carrier account page on "
                "18 March 2026, with J. Doe present. Not edited.",
        when="2026-03-18", people=["doe", "ray", "rosa"],
        themes={"no_reasonable_escape": "Shows when I called Rosa and 911 after Ray left."},
    )),
    "dx_screenshot": ("text_thread_ray_m.png", "png", dict(
        summary="Screenshot of the text thread with 'Ray M' (a plain grey stand-in image in this demo)",
        custody="Taken by J. Doe on his phone on 13 March 2026 and emailed to himself; "
                "copied from that email by Demo paralegal on 18 March 2026.",
        when="2026-03-13", people=["doe", "ray"],
        notes="The phone itself was taken by the police on 15 March.",
    )),
    "dx_report": ("incident_report_excerpt.txt", INCIDENT_REPORT, dict(
        summary="Police incident report, excerpt (from discovery)",
        custody="Received from the prosecution in the first discovery batch; "
                "this copy made by Demo paralegal from the PDF.",
        bates="PEOPLE-000123–000125",
        when="2026-03-15", people=["quill", "doe"],
    )),
}

# --- Threats ------------------------------------------------------------------

THREATS: dict[str, dict] = {
    "t_lot": dict(
        when="after 2026-03-11 18:00",
        summary="Ray stopped me in the parking lot and told me to take a car from work",
        made_by=["ray"], against=[Target.SELF], delivery=Delivery.IN_PERSON,
        harm_threatened="Said I would 'end up in the hospital' if I said no.",
        demand="Take a customer's car from the valet lot at The Lantern Grill and bring it to him.",
        weapon_shown=False, place="Linden Court apartments, parking lot",
        details="It was after my shift ended at 18:00. He waited by my car. I said no and went inside.",
        themes={"nature_of_threat": "He said I would end up in the hospital.",
                "own_fault": "He said I 'owed him one' for the money in January."},
    ),
    "t_text": dict(
        when="2026-03-12 21:47",
        summary="Text from Ray naming my sister",
        made_by=["ray"], against=[Target.FAMILY], against_detail="My sister Rosa",
        delivery=Delivery.TEXT, harm_threatened="Not said in words; he named Rosa.",
        demand="Say yes to taking the car.", weapon_shown=False,
        exhibits=["dx_screenshot"],
        themes={"nature_of_threat": "First time he brought Rosa into it.",
                "reasonable_fear": "I knew he knew where we live."},
    ),
    "t_pike": dict(
        when="2026-03-13",
        summary="Dale Pike passed on a message from Ray at my door",
        made_by=["ray"], against=[Target.SELF, Target.FAMILY],
        against_detail="Me and Rosa", delivery=Delivery.THROUGH_SOMEONE,
        harm_threatened="Pike said Ray 'will come for both of you'.",
        demand="Be at the valet stand on Saturday night and do what Ray says.",
        place="Front door of our apartment, Linden Court", present=["pike"],
        notes="I only remember it was Friday, in the afternoon or evening.",
        themes={"nature_of_threat": "Both of us, Rosa and me.",
                "threat_and_act": "He told me which night."},
    ),
    "t_call": dict(
        when="about 2026-03-14 20:15 ± 15 min",
        summary="Ray called me at work and said he was outside Rosa's work",
        made_by=["ray"], against=[Target.FAMILY], against_detail="Rosa",
        delivery=Delivery.CALL,
        harm_threatened="Said he was parked outside the pharmacy and 'would wait for her'.",
        demand="Have the silver sedan's keys ready when he came by.",
        place="I was at the valet stand, The Lantern Grill",
        themes={"immediacy": "He said he was outside her work right then.",
                "reasonable_fear": "I could not reach Rosa for a few minutes after."},
    ),
    "t_gun": dict(
        when="about 2026-03-14 21:50 ± 10 min",
        summary="Ray came to the valet stand and showed a gun in his waistband",
        made_by=["ray"], against=[Target.SELF, Target.FAMILY], against_detail="Me, and he said Rosa",
        delivery=Delivery.IN_PERSON,
        harm_threatened="Said he would shoot me, and then go to the pharmacy.",
        demand="Drive the silver sedan to the Pier Road storage yard now, with him following.",
        weapon_shown=True, weapon="Black handgun, in his waistband; he lifted his shirt to show it.",
        place="Valet stand behind The Lantern Grill, 400 Harbor Street",
        present=["pike"],
        themes={"nature_of_threat": "He showed the gun.",
                "immediacy": "He said it while standing at the car.",
                "threat_and_act": "He told me exactly which car and where to take it.",
                "no_reasonable_escape": "Pike stood between me and the restaurant door."},
    ),
    "t_voicemail": dict(
        when="before 2026-03-15 07:00",
        summary="Voicemail from Ray on Rosa's phone telling me to keep quiet",
        made_by=["ray"], against=[Target.SELF, Target.FAMILY], against_detail="Me and Rosa",
        delivery=Delivery.VOICEMAIL,
        harm_threatened="'Nobody gets hurt' if I keep quiet; 'I know where you park.'",
        demand="Say nothing to anyone about the car.",
        exhibits=["dx_voicemail"],
        notes="Rosa heard it at about 07:00. By then I had already spoken to the police.",
        themes={"nature_of_threat": "Said to Rosa, about both of us."},
    ),
}

# --- Communications -------------------------------------------------------------

PHONE = "J. Doe's phone (iPhone), Messages app, thread 'Ray M'"

COMMUNICATIONS: dict[str, dict] = {
    "c_first": dict(
        when="2026-03-12 21:47", channel=Channel.TEXT, direction=Direction.INCOMING,
        sender=["ray"], recipients=["doe"],
        content="-- you know what happens to Rosa if you say no",
        summary="Text from Ray about Rosa", original_location=PHONE,
        preserved=Preserved.YES, exhibits=["dx_screenshot"], related=["t_text"],
        themes={"nature_of_threat": "Names Rosa."},
    ),
    "c_reply": dict(
        when="2026-03-12 21:52", channel=Channel.TEXT, direction=Direction.OUTGOING,
        sender=["doe"], recipients=["ray"],
        content="No. I'm not taking anybody's car. Leave my sister out of this.",
        summary="My reply to Ray", original_location=PHONE,
        preserved=Preserved.YES, exhibits=["dx_screenshot"], related=["c_first"],
        themes={"threat_and_act": "I said no to what he asked."},
    ),
    "c_dm": dict(
        when="2026-03-13 23:12", channel=Channel.SOCIAL_MEDIA, direction=Direction.INCOMING,
        sender=["ray"], recipients=["doe"],
        content="🚗 tomorrow night. Be ready. Don't make me come find you.",
        summary="Direct message from @ray.marlow.77",
        original_location="My photo-sharing app account 'jdoe_22', direct messages",
        preserved=Preserved.UNKNOWN,
        notes="I deleted the app on 14 March. I don't know if the message is still on the account.",
        themes={"immediacy": "He said tomorrow night.",
                "threat_and_act": "He told me to be ready."},
    ),
    "c_call": dict(
        when="2026-03-14 20:14", channel=Channel.CALL, direction=Direction.INCOMING,
        sender=["ray"], recipients=["doe"],
        summary="Call from Ray, 3 min 12 s (carrier call log)",
        details="Not recorded. What he said is in the threat entry for this call.",
        original_location="Carrier call log; J. Doe's phone (iPhone), Phone app, Recents",
        preserved=Preserved.NO, exhibits=["dx_calls"], related=["t_call"],
    ),
    "c_warn": dict(
        when="2026-03-14 20:31", channel=Channel.TEXT, direction=Direction.OUTGOING,
        sender=["doe"], recipients=["rosa"],
        content="Stay at work tonight and don't go home alone. I'll explain later. Please just do it.",
        summary="My text to Rosa after Ray's call",
        original_location="J. Doe's phone (iPhone), Messages app, thread 'Rosa'; also on Rosa's phone",
        preserved=Preserved.YES, related=["t_call"],
        themes={"reasonable_fear": "I wrote this right after he said he was outside her work.",
                "no_reasonable_escape": "I had my phone at work."},
    ),
    "c_photo": dict(
        when="2026-03-14 23:05", channel=Channel.TEXT, direction=Direction.INCOMING,
        sender=["pike"], recipients=["doe"],
        content="[photo] Nice driving. Now forget tonight ever happened.",
        summary="Text from Dale Pike with a photo of the sedan in the yard",
        original_location="J. Doe's phone (iPhone), Messages app, thread with an unsaved number",
        preserved=Preserved.UNKNOWN,
        notes="My phone was taken by the police at the arrest; the message was on it then.",
        themes={"threat_and_act": "The photo shows the car where they told me to leave it."},
    ),
    "c_voicemail": dict(
        when="before 2026-03-15 07:00", channel=Channel.VOICEMAIL, direction=Direction.BETWEEN_OTHERS,
        sender=["ray"], recipients=["rosa"],
        content="It's Ray. Tell your brother to keep his mouth shut and nobody gets hurt. "
                "[inaudible] I know where you park.",
        summary="Voicemail from Ray on Rosa's phone",
        original_location="Rosa Doe's phone (Android), Phone app, voicemail",
        preserved=Preserved.YES, exhibits=["dx_voicemail"], related=["t_voicemail"],
        themes={"nature_of_threat": "'Nobody gets hurt' if I keep quiet."},
    ),
    "c_911": dict(
        when="2026-03-14 23:31", channel=Channel.CALL, direction=Direction.OUTGOING,
        sender=["doe"],
        summary="My call to 911 from Pier Road, 6 min 2 s (carrier call log)",
        details="I told the dispatcher I had been made to drive a car to the storage yard. "
                "She asked me to come to Central Station.",
        original_location="Carrier call log; 911 recording held by the dispatch centre (not requested yet)",
        preserved=Preserved.UNKNOWN, exhibits=["dx_calls"],
        themes={"no_reasonable_escape": "I called once they had driven away."},
    ),
}

# --- Events (the key moments the chronology measures from, and others) ---------

EVENTS: dict[str, dict] = {
    "e_shift": dict(
        when="2026-03-14 16:00 to 22:00",
        summary="My valet shift at The Lantern Grill",
        place="The Lantern Grill, 400 Harbor Street", people=["doe"],
    ),
    "e_start": dict(
        when="about 2026-03-14 22:00 ± 30 min", key_moment=KeyMoment.ACT_START,
        summary="I drove the customer's silver sedan out of the valet lot",
        details="Ray followed right behind in his pickup with Pike.",
        place="Valet lot, The Lantern Grill", people=["doe", "ray", "pike"],
        related=["t_gun"],
        themes={"threat_and_act": "This is the car he told me to take.",
                "immediacy": "He was behind me the whole drive."},
    ),
    "e_missing": dict(
        when="after 2026-03-14 22:15",
        summary="The restaurant manager reported the sedan missing",
        details="From the police report excerpt; I did not see this myself.",
        place="The Lantern Grill", exhibits=["dx_report"],
    ),
    "e_end": dict(
        when="about 2026-03-14 22:40 ± 10 min", key_moment=KeyMoment.ACT_END,
        summary="I parked the sedan inside the Pier Road storage yard and gave Pike the keys",
        place="Storage yard, Pier Road", people=["doe", "pike", "ray"],
        themes={"threat_and_act": "Where they told me to leave it."},
    ),
    "e_left": dict(
        when="2026-03-14 22:50 to 23:10", key_moment=KeyMoment.THREAT_ENDED,
        summary="Ray and Pike drove off in Ray's pickup and left me at the yard gate",
        place="Storage yard gate, Pier Road", people=["doe", "ray", "pike"],
        notes="I waited a while before I took my phone out because I thought they might come back.",
        themes={"no_reasonable_escape": "From here on I was alone.",
                "reasonable_fear": "I thought they might come back."},
    ),
    "e_arrest": dict(
        when="2026-03-15 01:05", key_moment=KeyMoment.ARREST,
        summary="Arrested at Central Station",
        place="Harbor City Police Department, Central Station", people=["doe", "quill"],
        exhibits=["dx_report"],
    ),
}

# --- Witnesses ------------------------------------------------------------------

WITNESSES: dict[str, dict] = {
    "w_ada": dict(
        person="ada", when="2026-03-11",
        summary="Ada saw Ray shouting at me in the parking lot",
        observed="A man by a black pickup shouting at J. Doe in the parking lot; she heard the word "
                 "'hospital'. J. Doe went inside afterwards looking pale.",
        contact="(555) 010-0177; apartment 2B, Linden Court", relation="Next-door neighbour",
        contacted=False, related=["t_lot"],
        themes={"nature_of_threat": "She heard him say 'hospital'."},
    ),
    "w_rosa": dict(
        person="rosa", when="2026-03-14 20:31 to 2026-03-15 07:00",
        summary="Rosa got my text, took my call after Ray left, and heard the voicemail",
        observed="Got J. Doe's text to stay at work; at 23:18 he called her crying and said Ray had made "
                 "him drive a car to Pier Road; she picked him up and drove him to Central Station; "
                 "the next morning she heard Ray's voicemail on her phone.",
        contact="(555) 010-0142", relation="Sister", contacted=True,
        related=["c_warn", "c_voicemail"],
        themes={"reasonable_fear": "How I sounded on the phone.",
                "no_reasonable_escape": "Who I called first after they left."},
    ),
    "w_quill": dict(
        person="quill", when="about 2026-03-15 00:30 ± 30 min",
        summary="Officer Quill took my account at Central Station",
        observed="Heard J. Doe's account of the threats and the drive to Pier Road before the arrest; "
                 "wrote the incident report.",
        contact="Harbor City Police Department, Central Station, (555) 010-0100",
        relation="None; police officer", contacted=None, exhibits=["dx_report"],
    ),
}

# --- Post-event actions -----------------------------------------------------------

ACTIONS: dict[str, dict] = {
    "a_rosa": dict(
        action=ActionType.TOLD_SOMEONE, when="2026-03-14 23:18", with_whom=["rosa"],
        summary="Called Rosa and told her what happened",
        place="Pier Road, near the storage yard gate", exhibits=["dx_calls"], related=["e_left"],
        themes={"no_reasonable_escape": "First call after they left."},
    ),
    "a_911": dict(
        action=ActionType.CALLED_911, when="2026-03-14 23:31",
        summary="Called 911 from Pier Road",
        place="Pier Road, near the storage yard gate", exhibits=["dx_calls"], related=["c_911"],
        themes={"no_reasonable_escape": "Called 911 about 20 to 40 minutes after they drove off."},
    ),
    "a_police": dict(
        action=ActionType.WENT_TO_POLICE, when="about 2026-03-15 00:20 ± 15 min",
        with_whom=["rosa", "quill"],
        summary="Rosa drove me to Central Station and I told an officer what happened",
        place="Harbor City Police Department, Central Station",
        themes={"no_reasonable_escape": "Went in the same night."},
    ),
    "a_arrest": dict(
        action=ActionType.ARRESTED, when="2026-03-15 01:05", with_whom=["quill"],
        summary="Arrested by Officer Quill", place="Central Station",
        exhibits=["dx_report"], related=["e_arrest"],
    ),
    "a_lawyer": dict(
        action=ActionType.LAWYER, when="2026-03-16",
        summary="Called the public defender's office and spoke with Demo Counsel",
        place="By phone, from home",
        notes="Rosa found the number. I spoke with counsel in the afternoon.",
    ),
}
