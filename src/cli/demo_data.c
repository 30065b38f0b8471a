/* Demo guild text: an invented B2B marketing community. Organisations and blogs are fictional. */
#include "demo.h"

/* Vendors market software and services; buyers are the companies they sell to, whose members
 * speak for procurement, IT, operations and finance; agencies and a research firm advise. */
const struct demo_org demo_orgs[] = {
    {"Quillfield Software", "quillfield.io", DEMO_VENDOR},
    {"Harborline Logistics", "harborline-logistics.com", DEMO_BUYER},
    {"Ferncastle Health", "ferncastle-health.com", DEMO_BUYER},
    {"Tallowbrook Payments", "tallowbrook.com", DEMO_VENDOR},
    {"Pinewick Security", "pinewick.io", DEMO_VENDOR},
    {"Saltmarsh Data", "saltmarshdata.com", DEMO_VENDOR},
    {"Corvid Ridge Consulting", "corvidridge.co", DEMO_AGENCY},
    {"Lanternfish CRM", "lanternfishcrm.com", DEMO_VENDOR},
    {"Bramblegate Manufacturing", "bramblegate.com", DEMO_BUYER},
    {"Oxbow Learning", "oxbowlearning.com", DEMO_VENDOR},
    {"Kestrelpoint Research", "kestrelpoint.com", DEMO_AGENCY},
    {"Mossgrove Agency", "mossgrove.agency", DEMO_AGENCY},
    {NULL, NULL, DEMO_VENDOR},
};

/* What a member of each kind does; their profile reads "Role, Organisation". */
const char *const demo_roles[DEMO_KINDS][4] = {
    [DEMO_VENDOR] = {"Product marketing", "Demand generation", "Marketing operations",
                     "Customer marketing"},
    [DEMO_BUYER] = {"Head of procurement", "IT director", "Operations manager", "Finance lead"},
    [DEMO_AGENCY] = {"Strategist", "Research analyst", "Account director", "Copywriter"},
    [DEMO_INDEPENDENT] = {"Independent consultant", "Fractional CMO", "Former industry analyst",
                          "Freelance copywriter"},
};

const char *const demo_names[] = {
    "Mara Lindqvist",  "Tobias Okafor",   "Priya Raman",     "Jonah Whitcombe", "Aiko Tanaka",
    "Rafael Ortega",   "Hannah Brandt",   "Kwame Asante",    "Lucia Ferreira",  "Oskar Nilsen",
    "Deepa Iyer",      "Marcus Hale",     "Sofia Marchetti", "Ethan Cho",       "Nadia Haddad",
    "Felix Baumann",   "Grace Mwangi",    "Leo Dubois",      "Ingrid Solberg",  "Samir Khoury",
    "Chloe Bennett",   "Mateo Rossi",     "Yara Costa",      "Daniel Park",     "Freya Andersen",
    "Omar Farouk",     "Julia Novak",     "Theo Laurent",    "Amara Obi",       "Victor Mendes",
    "Elena Petrova",   "Noah Fischer",    "Zainab Yusuf",    "Lukas Weber",     "Maya Goldberg",
    "Ravi Shankar",    "Clara Jensen",    "Hugo Moreau",     "Imani Brooks",    "Anton Volkov",
    "Rosa Alvarez",    "Kenji Mori",      "Ada Kowalski",    "Ben Carter",      "Leila Rahimi",
    "Sven Eriksson",   "Tara Quinn",      "Emeka Nwosu",     "Lina Haugen",     "Pablo Navarro",
    NULL};

const struct demo_blog demo_blogs[] = {
    {"Quillfield Field Notes", "https://quillfield.io/field-notes",
     "Product marketers at a dev-tools company writing about launches that did and did not land."},
    {"The Buyer's Bench", "https://thebuyersbench.com",
     "Procurement leads explain how software actually gets bought, committee by committee."},
    {"Demand Playbook", "https://demandplaybook.net",
     "Practical demand generation: channel tests with the numbers left in."},
    {"Signal over Noise", "https://signalovernoise.blog",
     "Attribution and measurement for people who distrust their dashboards."},
    {"The Pipeline Review", "https://pipelinereview.org",
     "Sales and marketing alignment, written by a former CRO who now consults."},
    {"Saltmarsh Data Journal", "https://saltmarshdata.com/journal",
     "A data company's research team publishing benchmark studies with their methods."},
    {"Long Cycle Marketing", "https://longcycle.marketing",
     "Marketing to buyers who take eighteen months and six stakeholders to decide."},
    {"Copy That Converts", "https://copythatconverts.net",
     "B2B copywriting teardowns of landing pages, emails and pricing pages."},
    {"The Category Desk", "https://categorydesk.com",
     "Positioning and category design without the buzzwords."},
    {"Harborline Ops Blog", "https://harborline-logistics.com/blog",
     "A logistics firm's marketing team on selling to operations people."},
    {"Field Event Notes", "https://fieldeventnotes.com",
     "Trade shows, roundtables and dinners: what they cost and what they return."},
    {"Quiet Brand", "https://quietbrand.co",
     "Brand building for companies whose buyers never see an ad."},
    {"Lanternfish Learning Hub", "https://lanternfishcrm.com/learn",
     "CRM hygiene and lifecycle marketing from a CRM vendor's enablement team."},
    {"The Analyst Relations Log", "https://arlog.net",
     "How analyst firms evaluate vendors, written by a former analyst."},
    {"Search for Suits", "https://searchforsuits.com",
     "Technical SEO for B2B sites with long, boring, valuable pages."},
    {"Ferncastle Insights", "https://ferncastle-health.com/insights",
     "Marketing in regulated healthcare: compliance reviews included."},
    {"Pricing Matters", "https://pricingmatters.io",
     "Packaging and pricing experiments from SaaS companies, with outcomes."},
    {"The Partner Channel", "https://partnerchannel.blog",
     "Co-marketing, resellers and marketplaces for mid-sized vendors."},
    {"Churn Letters", "https://churnletters.com",
     "Customer marketing and retention stories told from the account's side."},
    {"Research Before Launch", "https://researchbeforelaunch.com",
     "Customer interviews and win-loss analysis as a habit, not a project."},
    {"Pinewick Threat Brief", "https://pinewick.io/brief",
     "A security vendor's marketing that tries hard not to sell fear."},
    {"Email Without Spam", "https://emailwithoutspam.org",
     "Deliverability, consent and nurture programs that people read."},
    {"The Community Ledger", "https://communityledger.net",
     "Running professional communities: moderation, events and member value."},
    {"Ops Is Marketing", "https://opsismarketing.com",
     "Marketing operations: routing, scoring, data contracts and the stack."},
    {"Kestrelpoint Numbers", "https://kestrelpoint.com/numbers",
     "Survey research on B2B buying behaviour, raw data linked."},
    {"Small Team Big Market", "https://smallteambigmarket.com",
     "A two-person marketing team at an industrial supplier writes up its year."},
    {"The Webinar Autopsy", "https://webinarautopsy.com",
     "Post-mortems of webinars: attendance curves, questions asked, pipeline after."},
    {"Message Testing Lab", "https://messagetestinglab.com",
     "Message tests with real buyers before the campaign ships."},
    {"Bramblegate Shop Floor", "https://bramblegate.com/shop-floor",
     "A manufacturer's blog about marketing to plant managers and engineers."},
    {"Oxbow Teaching Marketing", "https://oxbowlearning.com/blog",
     "Selling to schools and training departments, from an edtech team."},
    {"The Sales Deck Museum", "https://salesdeckmuseum.com",
     "Annotated sales decks, old and new, with what each slide is trying to do."},
    {"Intent Data Skeptic", "https://intentskeptic.com",
     "Testing intent data vendors against closed-won reality."},
    {"Content That Compounds", "https://contentcompounds.com",
     "Evergreen content programs measured over years, not weeks."},
    {"The Mossgrove Notebook", "https://mossgrove.agency/notebook",
     "An agency's notes from client work, anonymised."},
    {"Founder-Led Sales Diary", "https://founderledsales.blog",
     "A founder documenting the handover from founder-led sales to a team."},
    {"Review Sites Decoded", "https://reviewsitesdecoded.com",
     "How buyers use peer review sites and how vendors game them."},
    {"The Procurement Whisperer", "https://procurementwhisperer.com",
     "Security questionnaires, legal review and other places deals go to wait."},
    {"Corvid Ridge Perspectives", "https://corvidridge.co/perspectives",
     "Consultants on go-to-market strategy for industrial and B2B services."},
    {"Account Based, Honestly", "https://abmhonestly.com",
     "Account-based marketing programs with the failures documented too."},
    {"Metrics That Matter", "https://metricsthatmatter.blog",
     "Choosing fewer numbers and acting on them."},
    {NULL, NULL, NULL},
};

const char *const demo_topics[] = {
    "intent data",            "ABM pilots",             "pricing pages",
    "webinar programs",       "peer review sites",      "buying committees",
    "lead scoring",           "win-loss interviews",    "analyst briefings",
    "field events",           "customer advocacy",      "product launches",
    "sales enablement",       "nurture email",          "marketing attribution",
    "category positioning",   "partner co-marketing",   "technical SEO",
    "security questionnaires", "free trials",            "community programs",
    "case studies",           "trade show budgets",     "messaging frameworks",
    "churn analysis",         "podcast sponsorships",   "demand capture",
    "paid social",            "CRM data hygiene",       "executive roundtables",
    "content refreshes",      "sales handoffs",         "usage-based pricing",
    "RFP responses",          "brand tracking",         "competitive battlecards",
    "onboarding emails",      "marketplace listings",   "buyer research",
    "marketing budgets",      NULL};

/* Title shapes: "for a plural topic|for a singular one" ("webinar programs stall", "churn
 * analysis stalls"), varied so that no shape repeats on a page. */
const char *const demo_angles[] = {
    "What we learned running %s for a year",
    "A buyer's honest take on %s",
    "The %s checklist our team actually uses",
    "Why %s stall after the first quarter|Why %s stalls after the first quarter",
    "Measuring %s without vanity metrics",
    "%s are not a channel, they are a habit|%s is not a channel, it is a habit",
    "Three mistakes we made with %s, and what fixed them",
    "How a procurement lead reads your %s",
    "Do %s still work in a downturn?|Does %s still work in a downturn?",
    "We cut %s by half and pipeline held|We cut our %s spend by half and pipeline held",
    "Notes from a year of %s at a 40-person company",
    "The case against %s, argued by someone who runs them|The case against %s, argued by "
    "someone who runs it",
    "What finance asks before it funds %s",
    "%s for teams without a sales development function",
    "An interview guide for %s, with the questions that mattered",
    "Our %s playbook, including the parts that failed",
    "When %s beat paid search for us, and when they did not|When %s beat paid search for us, "
    "and when it did not",
    "The one report on %s our board reads",
    "Ten buyers told us how they judge %s",
    "Rebuilding %s after the team that owned them left|Rebuilding %s after the team that "
    "owned it left",
    NULL};

/* Topics that take a singular verb ("intent data is"): the second form of an angle. */
const char *const demo_singular_topics[] = {
    "intent data", "lead scoring", "sales enablement", "nurture email", "marketing attribution",
    "category positioning", "partner co-marketing", "technical SEO", "customer advocacy",
    "churn analysis", "demand capture", "paid social", "CRM data hygiene", "usage-based pricing",
    "brand tracking", "buyer research", NULL};

const char *const demo_commentary[] = {
    "The section on budget owners is the part worth reading.",
    "Long, but the data tables at the end are the real contribution.",
    "Shared because it disagrees with what most of us do, and makes a fair case.",
    "A useful counterpoint to last week's discussion here.",
    "Written by a practitioner, not a vendor. The mistakes section is candid.",
    "Skip to the second half if you already know the basics.",
    NULL};

/* Answers to another comment (the demo's threads reply to each other). Neutral about the
 * subject, since any thread may get them. */
const char *const demo_replies[] = {
    "Fair point on the sample size. We had the same worry and ran it again a quarter later; "
    "the effect held, but smaller.",
    "Same here. What finally worked was asking sales to pick the reason from a short list.",
    "I think you are describing a different problem, though: the article is about what "
    "happens before the first call.",
    "Could you say more about how you set up the holdout? That is the part I never get right.",
    "This is the reply I was hoping for. Do you have the numbers written up anywhere?",
    "We tried that and it backfired: the reps read it as a quota. Framing matters.",
    "Agreed. The hard part is keeping it going once the person who started it moves on.",
    "How long did it take before you trusted the numbers enough to act on them?",
    "That matches our experience almost exactly, including the awkward second month.",
    "Worth adding that it depends a lot on deal size. Below a certain size none of this pays.",
    "I would push back a little: the author says this worked for one team, not that it always "
    "works.",
    "Thanks, that is useful. Did finance accept it as evidence, or only marketing?",
    "We did the opposite and it also worked, which makes me think the common factor is "
    "simply paying attention.",
    "Good question. In our case the answer was no, and we only found out a year later.",
    "Could you share the template? Happy to compare notes in a thread of its own.",
    "Yes, and the people who disagreed at the start became the ones who defended it later.",
    NULL};

/* First comments on a shared article: about the article itself, so they fit any subject. */
const char *const demo_comments[] = {
    "We tried something close to this last year. The first two months looked terrible and "
    "then it worked, which is exactly the period most teams give up in.",
    "I'd push back on the sample size. Forty accounts is not enough to say anything about "
    "conversion by segment.",
    "Does anyone have numbers on how this changes with deal size? Our enterprise deals behave "
    "completely differently.",
    "This matches what we saw. The hard part was getting sales to log the reason they lost.",
    "Good piece, but the title oversells it. The conclusion is 'it depends', honestly argued.",
    "We stopped doing this entirely and pipeline did not move. That told us more than any "
    "attribution model.",
    "Would love a follow-up on what happened after the team changed.",
    "Is there a version of this for companies without a sales team?",
    "I work at a company that sells into hospitals and every one of these steps takes three "
    "times as long for us.",
    "The chart in the middle is mislabelled, I think. The axis should be weeks, not days.",
    "Thanks for sharing. Bookmarked for our planning offsite.",
    "Strong agree on fewer metrics. We report three numbers to the board now.",
    "The author is careful to say this is one company's experience. Worth remembering before "
    "anyone copies it wholesale.",
    "We measured the same thing with a holdout group and got roughly half the lift claimed here.",
    "How did you get finance to agree to the budget for the test?",
    "Not convinced. The examples are all companies with famous brands already.",
    "Helpful. One addition: ask sales which objections they hear, then write for those.",
    "The best part: they published the failures alongside the wins.",
    "Could you share the template you mention? The questions matter more than the tool.",
    "The second half is the useful part; the first half restates what most of us know.",
    "I sent this to our head of sales with one sentence highlighted. We talked for an hour.",
    "Interesting that the cheapest change made the biggest difference. It usually does.",
    "Reading this, I realise we measure the activity and never the outcome.",
    "We are a team of three and this still applies, just with smaller numbers.",
    "The part about writing it down before starting is the part everyone skips.",
    "Saved this for the next time someone asks me why our plan changed mid-year.",
    "Would be good to see the same analysis a year from now. First-year results flatter.",
    "Our experience was the opposite, but we sell to a very different kind of buyer.",
    "Clear, specific and short. More of this in the guild, please.",
    "I like that they say what they would not do again.",
    NULL};

/* Comments in a buyer's voice, for members who work at the companies vendors sell to. */
const char *const demo_buyer_comments[] = {
    "As a buyer: the thing that moved me was the reference call, not any of the content. "
    "Nobody measures reference calls.",
    "Reading this as a procurement lead, I wish every vendor did the first step.",
    "From the buying side: we had made our shortlist before any of these emails arrived.",
    "Our IT team rejects about a third of vendors on the security page alone. This is why.",
    "We bought the product with the clearest pricing page, not the best demo. True story.",
    "As an operations manager I read the spec sheet and then call someone who uses it.",
    "Finance here. Show me the total cost over three years and you have my attention.",
    "The renewal conversation started a year earlier than the vendor thought it did.",
    NULL};
