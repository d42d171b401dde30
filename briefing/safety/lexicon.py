"""Words that say who a sentence speaks to and what it asks, in a news inbox's languages.

English, French, German, Spanish, Russian, Arabic and Chinese. Each pattern names a
role in a sentence (the machine addressed, an override of its instructions, an
order about the output, an attribution to a speaker), never a particular attack.
"""

from __future__ import annotations

import re

from briefing.safety.fastre import compile_fast


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# What a machine reading the page is called.
MACHINE = _words(
    r"\b(?:ai|a\.i\.|llms?|gpts?|chatgpt|chatbots?|bots?|crawlers?|scrapers?)\b",
    r"\b(?:language|ai|llm|large language|generative) models?\b",
    r"\b(?:the|this) model\b",
    r"\b(?:ai|virtual|digital) (?:assistants?|helpers?|tools?|systems?|agents?|readers?)\b",
    r"\bassistants?\b(?=\s*[,:!])",
    r"\b(?:content|writing|research|news|reading|summary|chat|search) (?:assistants?|bots?|agents?)\b",
    # "whoever summarises this": the machine named by what it does to the page.
    r"\b(?:whoever|anyone|anything|whatever) (?:is )?(?:summari[sz]\w*|process\w*|pars\w*|"
    r"scrap\w*|ingest\w*|index\w*) (?:this|these|us)\b",
    r"\bsummari[sz](?:er|ers|ing tools?|ation (?:tools?|models?|systems?))\b",
    r"\b(?:automated|automatic|machine|ai|ai-powered)[- ](?:[a-z]+ ){0,2}?(?:summar\w+|readers?|systems?|aggregators?|"
    r"agents?|tools?|content|writers?|digests?|briefings?|newsletters?|feeds?|services?|platforms?)\b",
    r"\b(?:systems?|tools?|programs?|software|engines?|pipelines?|services?|apps?|"
    r"applications?|models?|bots?)\s+(?:(?:that|which) (?:is|are) )?\w+ing (?:this|these)\b",
    r"\b(?:systems?|tools?|programs?|software|models?|bots?|agents?)\s+(?:that|which) (?:read|process|"
    r"summari[sz]e|parse|scrape|ingest|crawl)s? (?:this|these)\b",
    r"\b(?:news )?aggregators?\b",
    r"\bartificial intelligence\b",
    r"\b(?:i\.?a\.?|intelligences? artificielles?|mod[eè]le de langage|assistant virtuel|robot)\b",
    r"\b(?:ki|k\.i\.|sprachmodell\w*|künstliche[nr]? intelligenz|chatbot\w*|ki-\w+)\b",
    r"\b(?:inteligencia artificial|modelo de lenguaje|asistente virtual)\b",
    r"(?:нейросет\w*|(?<!\w)ии(?!\w)|искусственн\w+ интеллект\w*|языков\w+ модел\w*|чат-?бот\w*|(?<!\w)бот\w*)",
    r"(?:الذكاء الاصطناعي|اصطناعي|نموذج|للنموذج|المساعد الذكي|روبوت)",
    r"(?:人工智能|(?<![A-Za-z])AI(?![A-Za-z])|模型|助手|机器人)",
)

# Turning to the machine: a greeting or a preposition of address before its name.
ADDRESS = _words(
    r"\b(?:hi|hello|hey|dear|greetings|attention|note|message|instructions?|notice|memo|"
    r"atención|achtung|hinweis|внимание|nota|avviso|aviso|"
    r"reminder|update|correction)\b(?: (?:there|to|for))?,?",
    r"\b(?:to|for)\b(?: (?:any|all|every|the|each|our))?",
    r"\b(?:à|au|aux|pour|destinée? (?:à|au|aux))\b",
    r"\b(?:an (?:die|das|den|jede|alle)|für(?: (?:die|das|den|jede|alle))?)\b",
    r"\b(?:para(?: (?:la|el|los|las|cualquier))?|a (?:la|los|las|cualquier)|al)\b",
    r"(?:для|к|всем)",
    r"(?:إلى|الى)",
    r"(?:给|致|对)",
)

# Setting aside what the machine was told before.
OVERRIDE_VERB = _words(
    r"\b(?:ignore|ignoring|disregard|forget|override|bypass|discard|abandon|drop|skip|scrap)\b",
    r"\b(?:throw out|set aside|put aside|pay no (?:attention|heed) to|no longer follow|"
    r"do not (?:follow|obey)|don't (?:follow|obey)|stop following)\b",
    r"\b(?:ignorez?|oublie[sz]?|ne (?:tiens|tenez) (?:plus )?(?:pas )?compte|fais abstraction)\b",
    r"\b(?:ignoriere|ignorieren sie|vergiss|vergessen sie|missachte|verwirf|übergehe)\b",
    r"\b(?:ignora|ignore|olvida|olvide|deja de lado|haz caso omiso|descarta|omite|"
    r"no hagas caso(?: de)?|no sigas|no obedezcas)\b",
    r"\b(?:ignori|dimentica|trascura|esqueça|esqueca|desconsidere)\b",  # it, pt
    r"(?:игнорируй\w*|проигнорируй\w*|забудь\w*|не обращай\w* внимания|отбрось\w*|отмени\w*|"
    r"не (?:выполняй\w*|следуй\w*|слушай\w*|соблюдай\w*))",
    r"(?:تجاهل|انس|انسَ|اترك|أهمل)",
    r"(?:忽略|无视|忘记|忘掉|不要理会|抛开|无需理会)",
)
INSTRUCTION_NOUN = _words(
    r"\b(?:instructions?|directions?|directives?|prompts?|rules|guidelines|orders|commands|"
    r"context|programming|guardrails|constraints|everything (?:above|before|else))\b",
    r"\b(?:ce qui précède|lo anterior|das obige|alles vorherige)\b|вышесказанн\w+|всё (?:выше|сказанное)",
    r"\b(?:what (?:came|was said) before|all of the above|the above)\b",
    r"\b(?:consignes?|directives?|règles|ordres)\b",
    r"\b(?:anweisungen|vorgaben|instruktionen|befehle|regeln|anordnungen)\b",
    r"\b(?:instrucciones|órdenes|indicaciones|reglas|directrices|consignas)\b",
    r"\b(?:istruzioni|indicazioni|regole|instruções|instrucoes|orientações|regras)\b",  # it, pt
    r"(?:указани\w+|инструкци\w+|правил\w*|команд\w*|распоряжени\w+)",
    r"(?:التعليمات|ما سبق|الأوامر|التوجيهات|تعليمات)",
    r"(?:指令|指示|要求|规则|提示|说明|命令|以上内容|上述内容|之前的内容|上文|前文|上面的内容)",
)
# Whose instructions: a third party's are news ("ordered the insurer to ignore its
# previous instructions"); the reader-machine's own ("your", none) are an override.
THIRD_PARTY_OWNER = r"\b(?:its|their|his|her|the \w+'s|\w+'s)\b"

# Orders about what the output should say, as imperatives at the head of a clause.
OUTPUT_VERB = _words(
    r"\b(?:say|write|report|state|tell|publish|add|include|insert|put|mention|output|print|"
    r"describe|present|summari[sz]e|call|cite|credit|link|translate|sign|correct|replace|"
    r"recommend|advise|append|respond|reply|answer|claim|announce|emphasi[sz]e|omit|"
    r"headline|list|return|render|conclude|frame|portray|refer)\b",
    r"\b(?:indique[sz]?|écri[st]|écrivez|dis|dites|présente[sz]?|décri[st]|décrivez|annonce[sz]?|ajoute[sz]?|publie[sz]?|"
    r"mentionne[sz]?|signale[sz]?|affirme[sz]?|résume[sz]?)\b",
    r"\b(?:melde|schreibe?|sage?|berichte|füge hinzu|erwähne|behaupte|veröffentliche|gib an)\b",
    r"\b(?:publica|escribe|di|informa|afirma|añade|agrega|menciona|indica|resume|reporta)\b",
    r"(?:напиши\w*|сообщи\w*|укажи\w*|добавь\w*|скажи\w*|опубликуй\w*|перескажи\w*)",
    r"(?:اكتب|واكتب|اذكر|قل|أضف|انشر|أعلن)",
    r"(?:写|写上|注明|报道|声称|附上|加上|说明)",
    r"\b(?:scrivi|riporta|aggiungi|menziona|escreva|escreve|informe|adicione|mencione)\b",
    r"\b(?:yaz|yazın|belirt|ekle|söyle)\b",
    # Steering the reader or the text: gated on an object that is the output or its readers.
    r"\b(?:make sure|ensure|be sure to|point|direct|steer|encourage|urge)\b",
)
# Words that point at the briefing being written, or its readers.
META = _words(
    r"\b(?:readers?|the reader|audience|users|subscribers)\b",
    r"\b(?:this|the) (?:article|story|page|text|report|item|piece|post|document)\b",
    r"\b(?:summary|summaries|briefing|digest|output|response|answer|headline|recap)\b",
    r"\binstead\b",
    r"\b(?:résumé|synthèse|ce texte|cet article|lecteurs)\b",
    r"\b(?:zusammenfassung|diesen text|dieser text|diesen artikel|leser)\b",
    r"\b(?:resumen|este artículo|este texto|lectores)\b",
    r"(?:пересказ\w*|эту статью|этот текст|читател\w+|сводк\w+)",
    r"(?:الملخص|ملخص|المقال|القراء)",
    r"(?:总结|摘要|简报|读者|本文)",
    r"\b(?:riassunto|sintesi|resumo|özet\w*|recaps?|write-?ups?|overviews?|synops[ie]s)\b",
)
# Talking to "you", the machine, in each language.
SECOND_PERSON = _words(
    r"\b(?:you|your|yours|yourself)\b",
    r"\b(?:tu|tes|vous|votre|vos)\b",
    r"\b(?:dein\w*|dir|dich)\b",
    r"\b(?:tus|tu|usted|vosotros)\b",
    r"(?:\bты\b|\bтвои\w*|\bвы\b|\bваши\w*)",
    r"(?:أنت|لك)",
    r"(?:你|您)",
)
POLITE_REQUEST = _words(
    r"\b(?:would|could|can|will) you\b(?: (?:please|kindly|mind|just|also))?",
    r"\b(?:we|i)(?:'d| would) (?:truly |really |very much |greatly )?(?:appreciate|like|love)"
    r" (?:it )?(?:if you|you to)\b",
    r"\bif you (?:could|would|can)\b",
    r"\bplease\b",
    r"\b(?:would you )?mind (?:adding|slipping|including|saying|writing|putting|mentioning|"
    r"noting|inserting|linking)\b",
    r"\b(?:pretend|imagine) (?:that )?(?:you are|you're|to be)\b",
    r"\b(?:act as|role-?play|stay in character|from now on,? you|you are now)\b",
    r"\b(?:s'il te plaît|s'il vous plaît|bitte|por favor|пожалуйста|من فضلك|请)\b",
    r"\b(?:would|could|can|will) (?:the|this|our|any) (?:assistant|model|bot|ai|summari[sz]er|"
    r"aggregator|system|tool)\b",
)
# Reporting a speaker: a quotation or instruction inside such a sentence is news.
ATTRIBUTION = _words(
    r"\b(?:said|says|told|tells|added|adds|according to|stated|announced|warned|urged|asked|"
    r"wrote|writes|explained|insisted|argued|recalled|noted|declared|claimed|replied|"
    r"testified|posted|read|reads|quoted|ordered|decided|ruled|instructed|directed|found|"
    r"showed|reported|concluded|alleged|revealed|described)\b",
    r"\b(?:a déclaré|a dit|a affirmé|selon|a ajouté|a expliqué|a indiqué|a annoncé)\b",
    r"\b(?:sagte|erklärte|laut|teilte mit|betonte|so der|so die)\b",
    r"\b(?:dijo|afirmó|según|declaró|explicó|señaló|añadió|aseguró)\b",
    r"(?:сказал\w*|заявил\w*|по словам|сообщил\w*|отметил\w*|подчеркнул\w*)",
    r"(?:قال|وقال|قالت|صرح|أضاف|بحسب|وفقا)",
    r"(?:表示|说|称|指出)",
)
_ROLES = r"(?:system|user|assistant|human|ai|bot|developer|model|instruction|response)"
# "SYSTEM:", and the same role set off in brackets: "[assistant]", "<user>".
ROLE_LABEL = r"\b" + _ROLES + r"\b[\])>]?\s*:|[\[<]\s*" + _ROLES + r"\s*[\]>]"
CHAT_TOKEN = (
    r"<\|[^|<>]{1,30}\|>|\[/?(?:inst|sys|system)\]|<</?sys>>|^#{2,} ?(?:instruction|system|"
    r"response)\b|\bbegin(?:ning)? of (?:system|new) (?:prompt|instructions?)\b|\bsystem prompt\s*:"
)
MARKUP = r"!\[[^\]]*\]\([^)]*\)|<\s*(?:img|a|script|iframe)\b[^>]*>|\[[^\]]+\]\(\s*https?://"

# "Your summary", "votre résumé", "в вашем пересказе": the output of the machine reading
# the page, in the second person; no news story speaks of its reader's summary.
YOUR_OUTPUT = (
    r"\byour (?:\w+ )?(?:summary|summaries|recap|write-?up|overview|digest|briefing|synopsis|"
    r"output|rundown)\b|"
    r"\b(?:votre|ton|ta|vos|tes) (?:résumé|synthèse)|"
    r"\b(?:tu|su|vuestro) resumen\b|"
    r"\b(?:deine[rnms]?|ihre[rnms]?) zusammenfassung\b|"
    r"\b(?:tuo|tua|vostro|vostra) (?:riassunto|sintesi)\b|"
    r"\b(?:seu|sua|teu|tua) resumo\b|"
    r"(?:тво\w+|ваш\w*) (?:пересказ\w*|сводк\w*)|"
    r"\bözetin(?:de|e|i)?\b|你的(?:摘要|总结)|ملخصك"
)
# Output primed with the "right" text: "the correct summary of this article is:".
PRIMED = (
    r"\b(?:vital|essential|important|crucial|imperative|necessary) that (?:any|every|each|the|your) "
    r"(?:summary|summaries|recap|digest|briefing|overview|write-?up)\b|"
    r"\b(?:when|if|as|while|before) you (?:write (?:up|about)|summari[sz]e|report on|cover|"
    r"recap|digest|process) (?:this|the) (?:story|article|page|text|piece|report|news)\b|"
    r"\b(?:correct|accurate|true|proper|right|approved) (?:summary|headline|recap|synopsis|"
    r"takeaway|tl;?dr)(?: of this (?:article|story|page|text|report))?(?: is| reads| should (?:be|read))?"
    r"\s*:|\b(?:correct|accurate|proper|approved) (?:summary|headline|recap|synopsis) of this "
    r"(?:article|story|page|text|report)\b|"
    r"\b(?:use|copy|reproduce|repeat|paste|quote) (?:this|it|the following|these words)"
    r"(?: \w+){0,2} (?:verbatim|word for word|exactly as (?:written|given))\b"
)
# The output's form dictated: "end each sentence of your reply with ...".
FORM_ORDER = (
    r"(?:^|[.;:!?]\s+)\W*(?:end|start|begin|finish|close|sign|prefix|follow) (?:each|every|all|the) "
    r"(?:sentence|paragraph|line|bullet|item|reply|answer|response|summary|summaries)s?\b"
)
# A greeting to the machine in the inbox's other languages.
FOREIGN_GREETING = (
    r"^\W*(?:уважаем\w+|дорог\w+|liebe[rs]?|lieber|sehr geehrte[rs]?|cher|chère|chers|"
    r"querid[oa]s?|estimad[oa]s?|car[oa]|gentile|prezad[oa]s?|sevgili|değerli|عزيزي|亲爱的)\s+"
    r"(?:\w+\s+){0,2}?(?:" + MACHINE + ")"
)
# Turkish puts the verb last: "talimatları yok say" (set the instructions aside).
OVERRIDE_VERB_LAST = (
    r"\btalimat\w*\s+(?:\w+\s+){0,2}?(?:yok say|görmezden gel|unut|dikkate alma)\w*"
)

# The text referring to itself: "this page", "the body text", "diesen Text", "本文".
SELF_REF = _words(
    r"\b(?:this|the present|the above|the following) (?:page|article|story|text|piece|passage|"
    r"post|copy|feature|dispatch)\b",  # not "this report/document": news discusses those
    r"\bthe (?:body|article|page|story) text\b",
    r"\b(?:these|the above|the following) (?:paragraphs|pages|passages)\b",  # not "these words:", which opens a quote
    r"\b(?:ce|cet|cette) (?:texte|article|page|dépêche)\b",
    r"\bdiese[nmrs]? (?:text|artikel|seite|beitrag)\b",
    r"\b(?:este|esta) (?:texto|art[ií]culo|nota|p[aá]gina|noticia)\b",
    r"(?:эт(?:от|у|а|ой|ого|им) (?:текст\w*|стать\w+|страниц\w+|материал\w*))",
    r"(?:本文|这篇|此文|هذا النص|هذه المقالة|هذا المقال)",
)
# Obligation, in the inbox's languages: what someone is told they must do.
DEONTIC = _words(
    r"\b(?:must|should|ought to|shall|needs? to|ha(?:ve|s) to|(?:is|are) to|(?:is|are) expected to)\b",
    r"\b(?:muss|müssen|soll|sollen|sollte|sollten|doit|doivent|devez|devrait|devraient|debe|"
    r"deben|debería|deberían|hay que)\b",
    r"(?:должн\w*|следует|нужно|必须|应当|应该|需要|يجب|ينبغي)",
)
# What is made of a text: its summary, digest, rewrite, in any of its names.
DERIVED = _words(
    r"\b(?:summar\w+|digests?|briefings?|recaps?|write-?ups?|overviews?|outputs?|responses?|"
    r"synops[ie]s|abstracts?|rewrites?|versions?|renderings?|condens\w+|r[ée]sum[ée]s?|zusammenfassung\w*|resumen\w*)\b",
    r"(?:сводк\w+|пересказ\w*|резюме|摘要|总结|概述|ملخص\w*)",
)
# A verb done to a text: "built from this story", "condensing this page", "die diesen Text verarbeiten".
WORKED_ON = (
    r"\b\w+(?:ing|ed|en|t) (?:from |of |on )?(?:" + SELF_REF + r")|(?:" + SELF_REF + r") \w+(?:en|ent|ть)\b"
)
STOP_WORK = r"\bstop (?:summari[sz]ing|writing|following|translating|what you are doing)\b"

COMPILED: dict[str, re.Pattern[str]] = {
    name: compile_fast(pattern, re.IGNORECASE | re.MULTILINE)
    for name, pattern in {
        "machine": MACHINE,
        "address": ADDRESS,
        "override_verb": OVERRIDE_VERB,
        "instruction_noun": INSTRUCTION_NOUN,
        "output_verb": OUTPUT_VERB,
        "meta": META,
        "second_person": SECOND_PERSON,
        "polite": POLITE_REQUEST,
        "attribution": ATTRIBUTION,
        "role_label": ROLE_LABEL,
        "chat_token": CHAT_TOKEN,
        "markup": MARKUP,
        "third_party_owner": THIRD_PARTY_OWNER,
        "your_output": YOUR_OUTPUT,
        "primed": PRIMED,
        "form_order": FORM_ORDER,
        "foreign_greeting": FOREIGN_GREETING,
        "override_verb_last": OVERRIDE_VERB_LAST,
        "self_ref": SELF_REF,
        "deontic": DEONTIC,
        "derived": DERIVED,
        "worked_on": WORKED_ON,
        "stop_work": STOP_WORK,
    }.items()
}
