# ruff: noqa: E501  (sentences are data here; they are wrapped by hand, not by the formatter)
"""The first published version of each document: our own clause-by-clause rendering of the clinic's
policies, in English and Spanish. Loaded once (post_migrate) when a document has no version yet;
from then on the versions in the database are the truth and the privacy officer edits them.

Text may hold links as [words](/path/) or [words](mailto:...): nothing else is markup.
"""

from __future__ import annotations

from typing import Any


def _c(key: str, en: str, es: str) -> dict[str, Any]:
    return {"key": key, "text": {"en": en, "es": es}}


def _g(key: str, block: str) -> dict[str, Any]:
    return {"key": key, "generated": block}


def _s(key: str, en: str, es: str, *clauses: dict[str, Any]) -> dict[str, Any]:
    return {"key": key, "heading": {"en": en, "es": es}, "clauses": list(clauses)}


PRIVACY: list[dict[str, Any]] = [
    _s(
        "who-we-are",
        "Who we are",
        "Quiénes somos",
        _c(
            "who-1",
            "GoodSkin Clinics is run by Aesthetics Management, Inc. and its affiliates, including "
            "GoodSkin L.A., a medical corporation, and Lisa Goodman, Physician Assistant, PLLC. "
            "This policy covers this website and the emails "
            "and messages we exchange with you through it. It does not cover information collected "
            "offline or by other companies. It is part of our [Terms of Service](/terms/).",
            "Las Clínicas GoodSkin están a cargo de Aesthetics Management, Inc. y sus afiliadas, "
            "entre ellas GoodSkin L.A., una corporación médica, y Lisa Goodman, Physician "
            "Assistant, PLLC. Esta política cubre este sitio web "
            "y los correos y mensajes que intercambiamos con usted a través de él. No cubre la "
            "información recopilada fuera de línea ni por otras empresas. Forma parte de nuestros "
            "[Términos del servicio](/terms/).",
        ),
    ),
    _s(
        "what-we-collect",
        "What we collect",
        "Qué recopilamos",
        _c(
            "collect-1",
            "You can browse the site without telling us who you are. When you create an account "
            "we ask for your name, email address, date of birth and a password. When you contact "
            "us you choose what to tell us. Our servers also see technical details every website "
            "receives, such as your IP address and browser type.",
            "Puede navegar por el sitio sin decirnos quién es. Cuando crea una cuenta le pedimos su "
            "nombre, su correo electrónico, su fecha de nacimiento y una contraseña. Cuando nos "
            "escribe, usted decide qué contarnos. Nuestros servidores también ven los datos "
            "técnicos que recibe cualquier sitio web, como su dirección IP y el tipo de navegador.",
        ),
        _g("collect-list", "collected"),
    ),
    _s(
        "how-we-use-it",
        "How we use it",
        "Cómo la usamos",
        _c(
            "use-1",
            "To run your account and answer your questions.",
            "Para gestionar su cuenta y responder sus preguntas.",
        ),
        _c(
            "use-2",
            "To send essential messages, such as confirming your email address or a password "
            "change.",
            "Para enviar mensajes esenciales, como la confirmación de su correo o de un cambio de "
            "contraseña.",
        ),
        _c(
            "use-3",
            "To send offers and newsletters only if you have agreed; every one of those emails has "
            "an unsubscribe link.",
            "Para enviar ofertas y boletines solo si usted lo aceptó; cada uno de esos correos "
            "tiene un enlace para darse de baja.",
        ),
        _c(
            "use-4",
            "To keep the site secure and prevent fraud.",
            "Para mantener el sitio seguro y prevenir el fraude.",
        ),
    ),
    _s(
        "cookies",
        "Cookies and signals",
        "Cookies y señales",
        _c(
            "cookies-1",
            "This site sets only the cookies it needs to work: one that keeps you signed in, one "
            "that protects forms against forgery, one that remembers your language and one that "
            "remembers your privacy choices. Anything optional waits for your permission, and we "
            "honour Global Privacy Control. The site loads no advertising or third-party analytics "
            "code.",
            "Este sitio usa solo las cookies que necesita para funcionar: una que mantiene su "
            "sesión, otra que protege los formularios contra falsificaciones, otra que recuerda su "
            "idioma y otra que recuerda sus opciones de privacidad. Todo lo opcional espera su "
            "permiso, y respetamos el Control Global de Privacidad (GPC). El sitio no carga código "
            "de publicidad ni de análisis de terceros.",
        ),
        _c(
            "cookies-dnt",
            "Browsers' Do Not Track setting has no agreed meaning, so the site does not change what "
            "it does because of it. Global Privacy Control does have one, and we follow it.",
            "La opción «No rastrear» de los navegadores no tiene un significado acordado, así que "
            "el sitio no cambia su funcionamiento por ella. El Control Global de Privacidad sí lo "
            "tiene, y lo respetamos.",
        ),
    ),
    _s(
        "sharing",
        "Who we share it with",
        "Con quién la compartimos",
        _c(
            "sharing-1",
            "Companies that host and maintain our systems, under contract and only as far as their "
            "work needs. We disclose information when the law requires it, to protect against "
            "fraud or to defend legal claims. If the business were sold or merged, the information "
            "would pass to the new owner under this policy. We do not sell your personal "
            "information.",
            "Con empresas que alojan y mantienen nuestros sistemas, bajo contrato y solo en la "
            "medida en que su trabajo lo requiera. Revelamos información cuando la ley lo exige, "
            "para protegernos contra el fraude o para defendernos de reclamaciones legales. Si el "
            "negocio se vendiera o fusionara, la información pasaría al nuevo propietario bajo esta "
            "política. No vendemos su información personal.",
        ),
        _c(
            "sharing-reporting",
            "We also give some information to others to meet reporting duties and for business "
            "or marketing purposes, such as figures for our accountants or on which treatments "
            "are asked for. We give it de-identified wherever we can: counts and groups that "
            "cannot be tied back to you. De-identified information is not personal information, "
            "so this is neither a sale nor a share of it. Your email address may be used for our "
            "own marketing if you agree, but nothing about the services we provide to you is "
            "disclosed for marketing.",
            "También damos cierta información a otros para cumplir obligaciones de informar y con "
            "fines comerciales o de marketing, como cifras para nuestros contadores o sobre qué "
            "tratamientos se piden. La damos desidentificada siempre que podemos: recuentos y "
            "grupos que no pueden vincularse con usted. La información desidentificada no es "
            "información personal, así que esto no es una venta ni un intercambio de ella. Su "
            "correo puede usarse para nuestro propio marketing si usted lo acepta, pero nada sobre "
            "los servicios que le prestamos se revela con fines de marketing.",
        ),
    ),
    _s(
        "adults-only",
        "Adults only",
        "Solo adultos",
        _c(
            "adults-1",
            "Our site and services are for people 18 and over. We do not knowingly collect "
            "information from anyone younger. If we learn we hold information about someone under "
            "18, we stop sending them any marketing at once and our privacy team reviews it within "
            "3 business days: unless a parent or guardian, whose identity we verify, gives their "
            "consent, we delete it. A parent who consented can withdraw that consent at any time, "
            "and we then delete it. If you think we hold information about someone under 18, "
            "please tell us.",
            "Nuestro sitio y nuestros servicios son para personas de 18 años o más. No recopilamos "
            "a sabiendas información de menores. Si sabemos que tenemos información de alguien "
            "menor de 18 años, dejamos de enviarle cualquier marketing de inmediato y nuestro "
            "equipo de privacidad la revisa en 3 días hábiles: salvo que su padre, madre o tutor, "
            "cuya identidad verificamos, dé su consentimiento, la borramos. Quien dio su "
            "consentimiento puede retirarlo cuando quiera, y entonces la borramos. Si cree que "
            "tenemos información de alguien menor de 18 años, avísenos.",
        ),
    ),
    _s(
        "retention-security",
        "How long we keep it, and how we protect it",
        "Cuánto tiempo la guardamos y cómo la protegemos",
        _c(
            "retention-1",
            "We keep information only as long as we need it for your care, our legal duties, "
            "preventing fraud and abuse, collecting fees owed, resolving disputes, fixing "
            "problems, helping an investigation or enforcing our terms. When you change or remove "
            "something, the change is immediate in the systems we use; encrypted backups and "
            "archives, fraud-prevention records and visit statistics keep older copies for the "
            "time the list above gives, and a backup can never bring back someone we have "
            "erased. Passwords are stored only as strong one-way hashes; pages are served over "
            "encrypted connections.",
            "Guardamos la información solo mientras la necesitamos para su atención, nuestras "
            "obligaciones legales, la prevención del fraude y el abuso, el cobro de lo adeudado, "
            "la resolución de disputas, la solución de problemas, la ayuda en una investigación o "
            "el cumplimiento de nuestros términos. Cuando cambia o quita algo, el cambio es "
            "inmediato en los sistemas que usamos; las copias de seguridad cifradas y los "
            "archivos, los registros de prevención del fraude y las estadísticas de visitas "
            "conservan copias anteriores durante el tiempo que indica la lista de arriba, y una "
            "copia de seguridad nunca puede devolver a alguien que hemos borrado. Las contraseñas "
            "se guardan solo como resúmenes irreversibles y seguros; las páginas se sirven por "
            "conexiones cifradas.",
        ),
        _c(
            "security-you",
            "You can help: never share your sign-in details, choose a password that is hard to "
            "guess and that you use nowhere else, and sign out when you are not using your "
            "account, above all on a shared device.",
            "Usted puede ayudar: nunca comparta sus datos de acceso, elija una contraseña difícil "
            "de adivinar que no use en ningún otro sitio y cierre la sesión cuando no use su "
            "cuenta, sobre todo en un dispositivo compartido.",
        ),
        _c(
            "breach-1",
            "No system is perfectly secure: if we believe your information has been breached, we "
            "will tell you by email or on this site as soon as we can, allowing only for finding "
            "out what happened and any delay law enforcement asks of us.",
            "Ningún sistema es perfectamente seguro: si creemos que su información se vio "
            "comprometida, se lo diremos por correo o en este sitio lo antes posible, con el único "
            "margen de averiguar lo ocurrido y de cualquier espera que nos pidan las autoridades.",
        ),
    ),
    _s(
        "choices",
        "Your choices and rights",
        "Sus opciones y derechos",
        _c(
            "choices-1",
            "You can correct your details or close your account from your account page at any "
            "time; closing it erases your name, email address and date of birth at once. Depending "
            "on where you live you may have further rights; see our [State Privacy Notice]"
            "(/privacy/state-notice/) and [Your Privacy Choices](/privacy/choices/).",
            "Puede corregir sus datos o cerrar su cuenta desde la página de su cuenta en cualquier "
            "momento; al cerrarla se borran de inmediato su nombre, su correo y su fecha de "
            "nacimiento. Según dónde viva, puede tener otros derechos; consulte nuestro [Aviso de "
            "privacidad estatal](/privacy/state-notice/) y [Sus opciones de privacidad]"
            "(/privacy/choices/).",
        ),
        _c(
            "messages-1",
            "Offers and newsletters reach you only if you switch them on. To stop them, use the "
            "Unsubscribe link at the bottom of any of those emails, reply STOP to a text, choose "
            "in [My messages](/accounts/messages/), or write to us. It takes effect at once. "
            "Messages about your account, appointments you booked and your privacy requests still "
            "reach you.",
            "Las ofertas y los boletines solo le llegan si usted los activa. Para dejar de "
            "recibirlos, use el enlace «Darse de baja» al final de cualquiera de esos correos, "
            "responda STOP a un mensaje de texto, elija en [Mis mensajes](/accounts/messages/), o "
            "escríbanos. El cambio es inmediato. Los mensajes sobre su cuenta, las citas que "
            "reservó y sus solicitudes de privacidad le seguirán llegando.",
        ),
    ),
    _s(
        "changes",
        "Changes to this policy",
        "Cambios a esta política",
        _c(
            "changes-1",
            "If we make a significant change we will tell you on this site and, if you have an "
            "account, by email. A significant change takes effect 30 calendar days after we first "
            "tell you, or sooner if you accept it; until then the previous version applies to you. "
            "Smaller changes take effect when posted. Every version, and what changed, is listed "
            "under [Earlier versions](/privacy/versions/).",
            "Si hacemos un cambio importante, se lo diremos en este sitio y, si tiene una cuenta, "
            "por correo. Un cambio importante entra en vigor 30 días naturales después de nuestro "
            "primer aviso, o antes si usted lo acepta; hasta entonces se le aplica la versión "
            "anterior. Los cambios menores entran en vigor al publicarse. Todas las versiones, y lo "
            "que cambió, están en [Versiones anteriores](/privacy/versions/).",
        ),
        _c(
            "changes-disputes",
            "A dispute is settled under the version of this policy that applied when the dispute "
            "arose.",
            "Una disputa se resuelve según la versión de esta política que se aplicaba cuando "
            "surgió.",
        ),
    ),
    _s("contact", "Contact", "Contacto", _g("contact-details", "contact")),
]

STATE_NOTICE: list[dict[str, Any]] = [
    _s(
        "who-it-is-for",
        "Who this notice is for",
        "A quién va dirigido este aviso",
        _c(
            "intro-1",
            "California, Virginia, Colorado, Connecticut, Nevada, Utah and a growing number of "
            "other states give their residents specific privacy rights. We offer these rights to "
            "everyone, wherever you live. This notice adds to our [Privacy Policy](/privacy/).",
            "California, Virginia, Colorado, Connecticut, Nevada, Utah y cada vez más estados dan a "
            "sus residentes derechos de privacidad específicos. Ofrecemos estos derechos a todas "
            "las personas, vivan donde vivan. Este aviso completa nuestra [Política de privacidad]"
            "(/privacy/).",
        ),
    ),
    _s(
        "rights",
        "Your rights",
        "Sus derechos",
        _c(
            "rights-know",
            "To know what personal information we hold about you and get a copy you can take "
            "elsewhere.",
            "Saber qué información personal tenemos sobre usted y obtener una copia que pueda "
            "llevar a otro lugar.",
        ),
        _c(
            "rights-correct",
            "To correct information that is wrong.",
            "Corregir la información que esté mal.",
        ),
        _c(
            "rights-delete",
            "To have your information deleted, except what the law requires us to keep.",
            "Pedir que borremos su información, salvo la que la ley nos obliga a conservar.",
        ),
        _c(
            "rights-opt-out",
            "To opt out of the sale or sharing of your information and of targeted advertising. "
            "We do neither.",
            "Excluirse de la venta o el intercambio de su información y de la publicidad dirigida. "
            "No hacemos ninguna de las dos cosas.",
        ),
        _c(
            "rights-profiling",
            "To opt out of profiling that produces decisions with legal or similarly significant "
            "effects. We do not make such decisions by automated means.",
            "Excluirse de la elaboración de perfiles que lleve a decisiones con efectos jurídicos "
            "o igual de importantes. No tomamos esas decisiones por medios automáticos.",
        ),
        _c(
            "rights-limit-sensitive",
            "To limit how we use sensitive information, such as health details you tell us "
            "(California and some other states): we use it only to provide the services you ask "
            "for, and you can ask us to confirm that limit in writing.",
            "Limitar el uso de la información sensible, como los datos de salud que nos cuenta "
            "(California y algunos otros estados): solo la usamos para prestarle los servicios que "
            "pide, y puede pedirnos que confirmemos ese límite por escrito.",
        ),
        _c(
            "rights-third-parties",
            "To get the list of the third parties we disclosed your information to (Oregon, "
            "Minnesota and others).",
            "Obtener la lista de los terceros a los que revelamos su información (Oregón, "
            "Minnesota y otros).",
        ),
        _c(
            "rights-appeal",
            "To appeal our answer to any request, and to complain to your state's regulator if "
            "the appeal fails.",
            "Apelar nuestra respuesta a cualquier solicitud, y presentar una queja ante el "
            "regulador de su estado si la apelación no prospera.",
        ),
        _c(
            "rights-equal",
            "To not be treated differently for using any of these rights.",
            "No recibir un trato distinto por ejercer cualquiera de estos derechos.",
        ),
        _g("rights-by-state", "rights_table"),
    ),
    _s(
        "categories",
        "What we collect, from where, and why",
        "Qué recopilamos, de dónde y para qué",
        _c(
            "categories-sources",
            "We collect it from you (forms, your account, your messages), from your browser (the "
            "technical details every site receives) and from our own records of our dealings with "
            "you.",
            "La obtenemos de usted (formularios, su cuenta, sus mensajes), de su navegador (los "
            "datos técnicos que recibe cualquier sitio) y de nuestros propios registros de nuestra "
            "relación con usted.",
        ),
        _g("categories-table", "ccpa_table"),
    ),
    _s(
        "recipients",
        "Who receives personal information",
        "Quién recibe información personal",
        _g("recipients-list", "recipients"),
    ),
    _s(
        "requests",
        "How to make a request",
        "Cómo hacer una solicitud",
        _c(
            "requests-1",
            "Use our [privacy request form](/privacy/request/), or email or write to us and tell us "
            "which state you live in: your state's law sets our deadlines, and the table under "
            "“Your rights” gives them. If we need more time, we tell you why before the first "
            "deadline. An authorised agent may ask for you with your signed permission. Each year "
            "we publish our [privacy requests report](/privacy/requests-report/).",
            "Use nuestro [formulario de solicitudes de privacidad](/privacy/request/), o escríbanos "
            "por correo electrónico o postal indicando en qué estado vive: la ley de su estado "
            "fija nuestros plazos, y la tabla de «Sus derechos» los indica. Si necesitamos más "
            "tiempo, le explicamos por qué antes del primer plazo. Un agente autorizado puede hacer "
            "la solicitud por usted con su permiso firmado. Cada año publicamos nuestro [informe "
            "de solicitudes de privacidad](/privacy/requests-report/).",
        ),
        _g("requests-clocks", "clocks"),
        _g("requests-contact", "contact"),
    ),
]

TERMS: list[dict[str, Any]] = [
    _s(
        "about",
        "About these terms",
        "Sobre estos términos",
        _c(
            "about-1",
            "These terms govern your use of the GoodSkin Clinics website and the accounts, forms "
            "and messages that come with it. Our [Privacy Policy](/privacy/) is part of them.",
            "Estos términos rigen el uso del sitio web de las Clínicas GoodSkin y de las cuentas, "
            "formularios y mensajes que lo acompañan. Nuestra [Política de privacidad](/privacy/) "
            "forma parte de ellos.",
        ),
    ),
    _s(
        "adults",
        "Adults only",
        "Solo adultos",
        _c(
            "adults-1",
            "You must be 18 or over to use the site or open an account.",
            "Debe tener 18 años o más para usar el sitio o abrir una cuenta.",
        ),
    ),
    _s(
        "not-advice",
        "Not medical advice",
        "No es consejo médico",
        _c(
            "not-advice-1",
            "What the site says about treatments is general information. Only a consultation with "
            "one of our clinicians can tell you whether a treatment suits you.",
            "Lo que el sitio dice sobre los tratamientos es información general. Solo una consulta "
            "con uno de nuestros profesionales puede decirle si un tratamiento es adecuado para "
            "usted.",
        ),
    ),
    _s(
        "account",
        "Your account",
        "Su cuenta",
        _c(
            "account-1",
            "Keep your password to yourself and sign out on shared devices. Tell us at once if you "
            "think someone else has used your account. You can close it at any time.",
            "No comparta su contraseña y cierre la sesión en dispositivos compartidos. Avísenos de "
            "inmediato si cree que otra persona ha usado su cuenta. Puede cerrarla cuando quiera.",
        ),
    ),
    _s(
        "use",
        "Using the site fairly",
        "Uso correcto del sitio",
        _c(
            "use-1",
            "Do not try to get into accounts or systems that are not yours, send us harmful code, "
            "or use the site to harass anyone.",
            "No intente entrar en cuentas o sistemas que no sean suyos, enviarnos código dañino ni "
            "usar el sitio para acosar a nadie.",
        ),
    ),
    _s(
        "changes",
        "Changes to these terms",
        "Cambios a estos términos",
        _c(
            "changes-1",
            "A significant change takes effect 30 calendar days after we first tell you of it, or "
            "sooner if you accept it; smaller changes take effect when posted.",
            "Un cambio importante entra en vigor 30 días naturales después de nuestro primer "
            "aviso, o antes si usted lo acepta; los cambios menores entran en vigor al publicarse.",
        ),
    ),
    _s(
        "disputes",
        "Disputes",
        "Disputas",
        _c(
            "disputes-1",
            "California law governs these terms. A dispute is settled under the version of these "
            "terms and of the Privacy Policy that applied when it arose.",
            "Estos términos se rigen por la ley de California. Una disputa se resuelve según la "
            "versión de estos términos y de la Política de privacidad que se aplicaba cuando "
            "surgió.",
        ),
    ),
    _s("contact", "Contact", "Contacto", _g("contact-details", "contact")),
]

FIRST_VERSIONS = {"privacy": PRIVACY, "state_notice": STATE_NOTICE, "terms": TERMS}
