/**
 * Nationality and issuing-state codes of ICAO Doc 9303 (Part 3) as the ISO 3166-1 regions that
 * `Intl.DisplayNames` names in any language. ICAO uses the ISO alpha-3 codes, plus codes of its
 * own: `D` for Germany, the British nationality classes, the United Nations, stateless persons and
 * refugees, Kosovo. Codes with no country (stateless, refugee, unspecified) have a kind instead,
 * which a screen names in its own words. A code found nowhere (the specimen state `UTO`) is
 * `unknown`: a screen shows it as it is rather than guess.
 */

/** ISO 3166-1 alpha-3 → alpha-2 (Debian iso-codes), as pairs of five letters. */
const isoPairs =
  'ABWAW AFGAF AGOAO AIAAI ALAAX ALBAL ANDAD AREAE ARGAR ARMAM ASMAS ATAAQ ATFTF ATGAG AUSAU ' +
  'AUTAT AZEAZ BDIBI BELBE BENBJ BESBQ BFABF BGDBD BGRBG BHRBH BHSBS BIHBA BLMBL BLRBY BLZBZ ' +
  'BMUBM BOLBO BRABR BRBBB BRNBN BTNBT BVTBV BWABW CAFCF CANCA CCKCC CHECH CHLCL CHNCN CIVCI ' +
  'CMRCM CODCD COGCG COKCK COLCO COMKM CPVCV CRICR CUBCU CUWCW CXRCX CYMKY CYPCY CZECZ DEUDE ' +
  'DJIDJ DMADM DNKDK DOMDO DZADZ ECUEC EGYEG ERIER ESHEH ESPES ESTEE ETHET FINFI FJIFJ FLKFK ' +
  'FRAFR FROFO FSMFM GABGA GBRGB GEOGE GGYGG GHAGH GIBGI GINGN GLPGP GMBGM GNBGW GNQGQ GRCGR ' +
  'GRDGD GRLGL GTMGT GUFGF GUMGU GUYGY HKGHK HMDHM HNDHN HRVHR HTIHT HUNHU IDNID IMNIM INDIN ' +
  'IOTIO IRLIE IRNIR IRQIQ ISLIS ISRIL ITAIT JAMJM JEYJE JORJO JPNJP KAZKZ KENKE KGZKG KHMKH ' +
  'KIRKI KNAKN KORKR KWTKW LAOLA LBNLB LBRLR LBYLY LCALC LIELI LKALK LSOLS LTULT LUXLU LVALV ' +
  'MACMO MAFMF MARMA MCOMC MDAMD MDGMG MDVMV MEXMX MHLMH MKDMK MLIML MLTMT MMRMM MNEME MNGMN ' +
  'MNPMP MOZMZ MRTMR MSRMS MTQMQ MUSMU MWIMW MYSMY MYTYT NAMNA NCLNC NERNE NFKNF NGANG NICNI ' +
  'NIUNU NLDNL NORNO NPLNP NRUNR NZLNZ OMNOM PAKPK PANPA PCNPN PERPE PHLPH PLWPW PNGPG POLPL ' +
  'PRIPR PRKKP PRTPT PRYPY PSEPS PYFPF QATQA REURE ROURO RUSRU RWARW SAUSA SDNSD SENSN SGPSG ' +
  'SGSGS SHNSH SJMSJ SLBSB SLESL SLVSV SMRSM SOMSO SPMPM SRBRS SSDSS STPST SURSR SVKSK SVNSI ' +
  'SWESE SWZSZ SXMSX SYCSC SYRSY TCATC TCDTD TGOTG THATH TJKTJ TKLTK TKMTM TLSTL TONTO TTOTT ' +
  'TUNTN TURTR TUVTV TWNTW TZATZ UGAUG UKRUA UMIUM URYUY USAUS UZBUZ VATVA VCTVC VENVE VGBVG ' +
  'VIRVI VNMVN VUTVU WLFWF WSMWS YEMYE ZAFZA ZMBZM ZWEZW ';

const alpha2: ReadonlyMap<string, string> = new Map(
  isoPairs
    .trim()
    .split(/\s+/)
    .map((pair) => [pair.slice(0, 3), pair.slice(3)] as const),
);

/** ICAO's own codes for a country or region (Doc 9303 Part 3). */
const icaoRegions: Readonly<Record<string, string>> = {
  D: 'DE',
  GBD: 'GB',
  GBN: 'GB',
  GBO: 'GB',
  GBP: 'GB',
  GBS: 'GB',
  RKS: 'XK',
  EUE: 'EU',
};

/** ICAO codes for a person's status rather than a country. */
const icaoKinds = {
  UNO: 'unitedNations',
  UNA: 'unitedNations',
  UNK: 'unitedNations',
  XXA: 'stateless',
  XXB: 'refugee',
  XXC: 'refugee',
  XXX: 'unspecified',
} as const;

export type IcaoKind = (typeof icaoKinds)[keyof typeof icaoKinds];

export type IcaoCountry =
  | { readonly kind: 'region'; readonly region: string }
  | { readonly kind: IcaoKind }
  | { readonly kind: 'unknown' };

/** What an ICAO code stands for: a region `Intl.DisplayNames` can name, a status, or nothing known. */
export function icaoCountry(code: string): IcaoCountry {
  const upper = code.trim().toUpperCase();
  const region = icaoRegions[upper] ?? alpha2.get(upper);
  if (region) return { kind: 'region', region };
  if (Object.hasOwn(icaoKinds, upper)) return { kind: icaoKinds[upper as keyof typeof icaoKinds] };
  return { kind: 'unknown' };
}
