/** The version `vitals --version` prints and SARIF output names as the tool's (keep it equal to package.json's). */
export const VITALS_VERSION = '0.1.0';
