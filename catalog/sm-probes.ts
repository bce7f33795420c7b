/**
 * Names of Grafana Synthetic Monitoring's public probes, as the provider's
 * `getProbes({ filterDeprecated: true })` keys them (the location without spaces or accents).
 * Source: Grafana Cloud docs, "Public probes"
 * (grafana.com/docs/grafana-cloud/testing/synthetic-monitoring/create-checks/public-probes/),
 * AMER, EMEA and APAC tables. Private probes are declared in `synthetics.private_probes`.
 */
export const SM_PUBLIC_PROBES: readonly string[] = [
  // AMER
  "Calgary",
  "Montreal",
  "NorthCalifornia",
  "NorthVirginia",
  "Ohio",
  "Oregon",
  "SaoPaulo",
  // EMEA
  "CapeTown",
  "Frankfurt",
  "London",
  "Paris",
  "Spain",
  "Stockholm",
  "UAE",
  "Zurich",
  // APAC
  "Hyderabad",
  "Jakarta",
  "Mumbai",
  "Seoul",
  "Singapore",
  "Sydney",
  "Tokyo",
];
