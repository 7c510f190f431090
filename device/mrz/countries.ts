/**
 * Codes for issuing State and nationality, ICAO Doc 9303 part 3 §5. An unknown code is a warning,
 * never a reason to reject a document: the list changes, and readers meet old documents.
 */

/** ISO 3166-1 alpha-3 (except DEU: Germany is `D` in ICAO 9303). */
const ISO_3166 =
  'ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR ' +
  'BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL ' +
  'COM CPV CRI CUB CUW CXR CYM CYP CZE DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA ' +
  'FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI ' +
  'HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN ' +
  'LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP ' +
  'MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER ' +
  'PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV ' +
  'SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN ' +
  'TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE ';

/** ICAO 9303-3 §5 codes beyond ISO 3166-1, the specimen State, and codes in use by issuers. */
const ICAO_EXTRA: readonly string[] = [
  'D', // Germany
  'UTO', // Utopia, the specimen State of ICAO 9303
  'GBD', // British Overseas Territories Citizen
  'GBN', // British National (Overseas)
  'GBO', // British Overseas Citizen
  'GBP', // British Protected Person
  'GBS', // British Subject
  'EUE', // European Union
  'UNO', // United Nations Organization
  'UNA', // United Nations specialized agency
  'UNK', // resident of Kosovo, document issued by UNMIK
  'XBA', // African Development Bank
  'XIM', // African Export-Import Bank
  'XCC', // Caribbean Community (CARICOM)
  'XCE', // Council of Europe
  'XCO', // Common Market for Eastern and Southern Africa
  'XDC', // Southern African Development Community
  'XEC', // Economic Community of West African States
  'XES', // Organization of Eastern Caribbean States
  'XOM', // Sovereign Military Order of Malta
  'XPO', // INTERPOL
  'XXA', // stateless person (1954 Convention)
  'XXB', // refugee (1951 Convention)
  'XXC', // refugee, other
  'XXX', // unspecified nationality
  'RKS', // Kosovo, as printed on Kosovo's own documents (not in ICAO 9303-3)
  'XXK', // Kosovo, used by some issuers (not in ICAO 9303-3)
];

const KNOWN: ReadonlySet<string> = new Set([...ISO_3166.trim().split(/ +/), ...ICAO_EXTRA]);

/** True for a code (fillers already stripped, e.g. `D`, `UTO`, `XXA`) that ICAO 9303 or ISO 3166 defines. */
export function isKnownCountryCode(code: string): boolean {
  return KNOWN.has(code);
}
