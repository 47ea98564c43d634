/**
 * The built-in discovery wordlist: a published, widely used list of the most common host labels
 * (subdomains-top1million, 5,000 labels; source and licence in data/wordlists/README.md) followed by
 * healthcare and telehealth labels it lacks (EHR portals, PACS, telehealth video, remote access).
 * Nothing here comes from the lab: the lab picks its host names from the same published lists.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readWordlistFile } from './wordlist-file.js';

/** The vendored published lists, most common label first. */
export const PUBLISHED_WORDLISTS = {
  top5000: 'subdomains-top1mil-5000.txt',
  top20000: 'subdomains-top1mil-20000.txt',
} as const;
export type PublishedWordlist = keyof typeof PUBLISHED_WORDLISTS;

/**
 * Path of a vendored list. The data folder sits at the package root, three levels above this module
 * when it runs from src/ and four when it runs compiled from dist/src/.
 */
export function publishedWordlistPath(list: PublishedWordlist): string {
  for (const up of ['../../../', '../../../../']) {
    const path = fileURLToPath(new URL(`${up}data/wordlists/${PUBLISHED_WORDLISTS[list]}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`the built-in wordlist data/wordlists/${PUBLISHED_WORDLISTS[list]} is missing from the installation`);
}

const published = new Map<PublishedWordlist, readonly string[]>();

/** The entries of a vendored list, lower case, deduplicated, in the list's order (most common first). */
export function publishedWordlist(list: PublishedWordlist): readonly string[] {
  let labels = published.get(list);
  if (!labels) {
    labels = Object.freeze(readWordlistFile(publishedWordlistPath(list)).labels);
    published.set(list, labels);
  }
  return labels;
}

/** Healthcare and telehealth host labels, added after the published list. One label per entry, LDH. */
export const HEALTHCARE_LABELS: readonly string[] = Object.freeze(
  `
www www1 www2 www3 web web1 web2 mail mail1 mail2 mail3 smtp smtp1 smtp2 pop pop3 imap webmail
email mx mx1 mx2 mx3 relay exchange owa autodiscover autoconfig ns ns1 ns2 ns3 ns4 dns dns1 dns2
ftp sftp ftps files file fileshare share sharepoint portal portals login signin sso auth adfs idp
id identity account accounts my remote vpn vpn1 vpn2 vpn3 sslvpn ssl-vpn gateway gw rdp rdweb rds
citrix ctx netscaler workspace storefront anyconnect globalprotect pulse fortigate forti firewall
fw api api1 api2 apis api-dev api-test dev dev1 dev2 develop development test test1 test2 testing
qa uat stage staging stg preprod prod production demo sandbox beta alpha admin administrator manage
management mgmt console dashboard panel cpanel whm plesk webadmin sysadmin support help helpdesk
servicedesk service services status monitor monitoring nagios zabbix grafana kibana app apps
application mobile m wap static cdn assets img images media video videos stream streaming live meet
meeting meetings conference zoom webex teams chat im voip sip pbx phone phones tel fax blog news
events careers jobs hr intranet extranet internal corp corporate office home shop store pay payment
payments billing invoice invoices bill secure security cert certs pki ca crl ocsp proxy cache lb
loadbalancer edge origin backup backups bak old new legacy archive archives www-old old-www oldsite
newsite db database sql mysql postgres mssql oracle redis mongo elastic search solr ldap ad dc
kerberos radius ntp time syslog log logs splunk siem git gitlab github svn jenkins ci build jira
confluence wiki docs doc documentation kb knowledge crm erp sap cloud aws azure gcp s3 storage
drive box dropbox sync partner partners vendor vendors supplier suppliers b2b extranet2 client
clients customer customers en es fr de us uk int global local lan wan office365 o365 outlook mta
mailgw server server1 server2 host host1 host2 node node1 node2 srv srv1 srv2 vm vm1 vm2 news2
forms form survey surveys feedback contact contacts info about mychart mychart2 mychartprod
mychart-test epic epiccare epic-prod epicproxy epicweb cerner powerchart millennium meditech athena
athenahealth allscripts nextgen eclinicalworks ecw ehr emr ehr-prod emr-prod ehr-test phr patient
patients patientportal patient-portal portal2 myhealth mycare healthportal health care careportal
telehealth telemedicine telemed virtualcare virtual-care virtualvisit virtual-visit evisit e-visit
visit visits video-visit videovisit vc doxy amwell teladoc telehealth-api telehealth-app tele
teleconsult consult consults ehealth mhealth digitalhealth pacs pacs1 pacs2 dicom imaging radiology
rad ris lis lab labs laboratory results labresults lab-results pathology specimen specimens
pharmacy rx erx eprescribe refill refills prescriptions scheduling schedule appointments
appointment appt booking book checkin check-in intake registration claims claim eligibility
benefits provider providers providerportal provider-portal physician physicians doctor doctors
clinician clinicians nurse nursing staff employee employees members member memberportal
member-portal enroll enrollment broker brokers payer hl7 fhir fhir-api interface interfaces
integration mirth rhapsody cloverleaf hie exchange2 direct directmail hisp billing2 rcm revenue
finance coding cdi research irb clinicaltrials trials education library kiosk wifi guest guestwifi
badge access accessibility ed er emergency icu surgery oncology cardiology pediatrics maternity
womens behavioral mentalhealth dental vision ortho clinic clinics hospital medical med medcenter
healthcenter urgentcare urgent-care covid covid19 vaccine vaccines testing-site testsite covidtest
citrix2 vdi horizon vmware view rdgateway rdg remote-access remoteaccess telework sso2 okta duo mfa
2fa otp dicomweb viewer zfp xero powerscribe nuance dragon fax2 efax secure-mail securemail zixmail
encrypt hpm hims his cis ris2 emar mar
campaign courier developer foundation giving newsletter order orders promo donate volunteer
`
    .split(/\s+/)
    .filter((label) => label.length > 0),
);

/** The default wordlist: the published top 5,000 first, then the healthcare labels it does not have. */
export const DEFAULT_WORDLIST: readonly string[] = Object.freeze([
  ...new Set([...publishedWordlist('top5000'), ...HEALTHCARE_LABELS]),
]);
