// Denmark's 98 municipalities: kommunekode (Danmarks Statistik) and CVR number (the Central Business
// Register; the CVR is how KOMBIT's services name the municipality a call acts for, its
// "anvenderkontekst"). The one list the provider, the policy pack, the CLI, the stand-in's STS and
// the benchmarks judge a kommunekode or CVR by. No dependencies: the policy pack
// and the program load it without the HTTP client.

/** Every municipality as [kommunekode, navn, CVR number], in kommunekode order. */
export const KOMMUNER: ReadonlyArray<readonly [kommunekode: string, navn: string, cvr: string]> = [
    ["0101", "København", "64942212"],
    ["0147", "Frederiksberg", "11259979"],
    ["0151", "Ballerup", "58271713"],
    ["0153", "Brøndby", "65113015"],
    ["0155", "Dragør", "12881517"],
    ["0157", "Gentofte", "19438414"],
    ["0159", "Gladsaxe", "62761113"],
    ["0161", "Glostrup", "65120119"],
    ["0163", "Herlev", "63640719"],
    ["0165", "Albertslund", "66137112"],
    ["0167", "Hvidovre", "55606617"],
    ["0169", "Høje-Taastrup", "19501817"],
    ["0173", "Lyngby-Taarbæk", "11715311"],
    ["0175", "Rødovre", "65307316"],
    ["0183", "Ishøj", "11931316"],
    ["0185", "Tårnby", "20310413"],
    ["0187", "Vallensbæk", "19583910"],
    ["0190", "Furesø", "29188327"],
    ["0201", "Allerød", "60183112"],
    ["0210", "Fredensborg", "29188335"],
    ["0217", "Helsingør", "64502018"],
    ["0219", "Hillerød", "29189366"],
    ["0223", "Hørsholm", "70960516"],
    ["0230", "Rudersdal", "29188378"],
    ["0240", "Egedal", "29188386"],
    ["0250", "Frederikssund", "29189129"],
    ["0253", "Greve", "44023911"],
    ["0259", "Køge", "29189374"],
    ["0260", "Halsnæs", "29188416"],
    ["0265", "Roskilde", "29189404"],
    ["0269", "Solrød", "68534917"],
    ["0270", "Gribskov", "29188440"],
    ["0306", "Odsherred", "29188459"],
    ["0316", "Holbæk", "29189447"],
    ["0320", "Faxe", "29188475"],
    ["0326", "Kalundborg", "29189595"],
    ["0329", "Ringsted", "18957981"],
    ["0330", "Slagelse", "29188505"],
    ["0336", "Stevns", "29208654"],
    ["0340", "Sorø", "29189994"],
    ["0350", "Lejre", "29188548"],
    ["0360", "Lolland", "29188572"],
    ["0370", "Næstved", "29189625"],
    ["0376", "Guldborgsund", "29188599"],
    ["0390", "Vordingborg", "29189676"],
    ["0400", "Bornholm", "26696348"],
    ["0410", "Middelfart", "29189684"],
    ["0420", "Assens", "29189692"],
    ["0430", "Faaborg-Midtfyn", "29188645"],
    ["0440", "Kerteminde", "29189706"],
    ["0450", "Nyborg", "29189722"],
    ["0461", "Odense", "35209115"],
    ["0479", "Svendborg", "29189730"],
    ["0480", "Nordfyns", "29188947"],
    ["0482", "Langeland", "29188955"],
    ["0492", "Ærø", "28856075"],
    ["0510", "Haderslev", "29189757"],
    ["0530", "Billund", "29189765"],
    ["0540", "Sønderborg", "29189773"],
    ["0550", "Tønder", "29189781"],
    ["0561", "Esbjerg", "29189803"],
    ["0563", "Fanø", "31210917"],
    ["0573", "Varde", "29189811"],
    ["0575", "Vejen", "29189838"],
    ["0580", "Aabenraa", "29189854"],
    ["0607", "Fredericia", "69116418"],
    ["0615", "Horsens", "29189889"],
    ["0621", "Kolding", "29189897"],
    ["0630", "Vejle", "29189900"],
    ["0657", "Herning", "29189919"],
    ["0661", "Holstebro", "29189927"],
    ["0665", "Lemvig", "29189935"],
    ["0671", "Struer", "29189951"],
    ["0706", "Syddjurs", "29189978"],
    ["0707", "Norddjurs", "29189986"],
    ["0710", "Favrskov", "29189714"],
    ["0727", "Odder", "32264328"],
    ["0730", "Randers", "29189668"],
    ["0740", "Silkeborg", "29189641"],
    ["0741", "Samsø", "23795515"],
    ["0746", "Skanderborg", "29189633"],
    ["0751", "Aarhus", "55133018"],
    ["0756", "Ikast-Brande", "29189617"],
    ["0760", "Ringkøbing-Skjern", "29189609"],
    ["0766", "Hedensted", "29189587"],
    ["0773", "Morsø", "41333014"],
    ["0779", "Skive", "29189579"],
    ["0787", "Thisted", "29189560"],
    ["0791", "Viborg", "29189846"],
    ["0810", "Brønderslev", "29189501"],
    ["0813", "Frederikshavn", "29189498"],
    ["0820", "Vesthimmerlands", "29189471"],
    ["0825", "Læsø", "45973328"],
    ["0840", "Rebild", "29189463"],
    ["0846", "Mariagerfjord", "29189455"],
    ["0849", "Jammerbugt", "29189439"],
    ["0851", "Aalborg", "29189420"],
    ["0860", "Hjørring", "29189382"],
];

/** What a valid kommunekode is, as messages say it after "kommunekode is <value>: ". */
export const KOMMUNEKODE_RULE =
    'must be one of the 98 municipalities\' kommunekoder, written with four digits, e.g. "0101" for København';

const byKode: ReadonlyMap<string, string> = new Map(KOMMUNER.map(([kode, navn]) => [kode, navn]));
const cvrByKode: ReadonlyMap<string, string> = new Map(KOMMUNER.map(([kode, , cvr]) => [kode, cvr]));
const kodeByCvr: ReadonlyMap<string, string> = new Map(KOMMUNER.map(([kode, , cvr]) => [cvr, kode]));

/**
 * True when `kode` is one of the 98 municipalities' kommunekoder, written with four digits.
 *
 * @example
 * isKommunekode("0101"); // true (København)
 * isKommunekode("101");  // false: write it with four digits, "0101"
 */
export function isKommunekode(kode: unknown): kode is string {
    return typeof kode === "string" && byKode.has(kode);
}

/**
 * The municipality's name, or undefined for a code that is not one of the 98.
 *
 * @example
 * kommuneNavn("0751"); // "Aarhus"
 */
export function kommuneNavn(kode: string): string | undefined {
    return byKode.get(kode);
}

/**
 * A municipality as people read it: "København (0101)", or just the code when it is not one of the 98.
 *
 * @example
 * describeKommune("0751"); // "Aarhus (0751)"
 */
export function describeKommune(kode: string): string {
    const navn = kommuneNavn(kode);
    return navn ? `${navn} (${kode})` : kode;
}

/**
 * The municipality's CVR number, as FK Adgangsstyring's token service names it (anvenderkontekst), or
 * undefined for a code that is not one of the 98.
 *
 * @example
 * kommuneCvr("0101"); // "64942212" (København)
 */
export function kommuneCvr(kode: string): string | undefined {
    return cvrByKode.get(kode);
}

/**
 * The kommunekode of the municipality with this CVR number, or undefined when no municipality has it.
 *
 * @example
 * kommunekodeOfCvr("55133018"); // "0751" (Aarhus)
 */
export function kommunekodeOfCvr(cvr: string): string | undefined {
    return kodeByCvr.get(cvr);
}

/**
 * Whoever a CVR number names, as people read it: "Aarhus (0751, CVR 55133018)", or "CVR 12345678"
 * when it is not a municipality's.
 *
 * @example
 * describeCvr("64942212"); // "København (0101, CVR 64942212)"
 */
export function describeCvr(cvr: string): string {
    const kode = kodeByCvr.get(cvr);
    return kode ? `${byKode.get(kode)} (${kode}, CVR ${cvr})` : `CVR ${cvr}`;
}
