#include "folio/app/sample_contracts.h"

#include "folio/app/contract_pdf.h"

#include <filesystem>

namespace folio::app {
namespace {

using Style = ContractParagraph::Style;

struct Builder {
    ContractPdfSpec spec;
    Builder& title(const char* t) { spec.paragraphs.push_back({Style::Title, t, 0}); return *this; }
    Builder& centered(const char* t) { spec.paragraphs.push_back({Style::Centered, t, 0}); return *this; }
    Builder& heading(const char* t) { spec.paragraphs.push_back({Style::Heading, t, 0}); return *this; }
    Builder& text(const char* t, int indent = 0) { spec.paragraphs.push_back({Style::Body, t, indent}); return *this; }
};

ContractPdfSpec servicesAgreement()
{
    Builder b;
    b.spec.runningHeader = "Master Services Agreement - Northwind Analytics / Harbor Freight Logistics - Confidential";
    b.title("MASTER SERVICES AGREEMENT")
        .centered("Dated as of March 3, 2025")
        .text("This Master Services Agreement (the \"Agreement\") is entered into by Northwind Analytics Ltd., a company "
              "organised under the laws of England and Wales (\"Provider\"), and Harbor Freight Logistics Inc., a Delaware "
              "corporation (\"Customer\"). Provider and Customer are each a \"Party\" and together the \"Parties\".")
        .heading("RECITALS")
        .text("A. Customer operates a network of regional warehouses and wishes to forecast shipment volumes.")
        .text("B. Provider builds and operates forecasting software and agrees to provide the Services on the terms below.")
        .heading("ARTICLE 1 - DEFINITIONS")
        .text("1.1 \"Services\" means the forecasting, reporting and support services described in Exhibit A, as changed "
              "from time to time under Section 2.3.")
        .text("1.2 \"Deliverables\" means the reports, models and documents that Provider delivers to Customer under a "
              "Statement of Work.")
        .text("1.3 \"Statement of Work\" means a document in the form of Exhibit B signed by both Parties.")
        .text("1.4 \"Confidential Information\" shall have the meaning given in Section 6.1.")
        .text("1.5 \"Fees\" means the amounts set out in Schedule 1, payable as described in Article 4.")
        .text("1.6 \"Effective Date\" means the date first written above.")
        .heading("ARTICLE 2 - SERVICES")
        .text("2.1 Provision of Services. Provider shall perform the Services with reasonable skill and care and in "
              "accordance with each Statement of Work.")
        .text("2.2 Service Levels. Provider shall meet the service levels in Exhibit A. If Provider misses a service "
              "level in any calendar month:")
        .text("(a) Provider shall report the cause within five (5) business days; and", 1)
        .text("(b) Customer shall be entitled to the service credits set out in Schedule 1, which are Customer's sole "
              "remedy for that failure except as provided in Section 8.2.", 1)
        .text("2.3 Changes. Either Party may request a change to the Services in writing. No change binds a Party until "
              "both Parties sign an amended Statement of Work.")
        .heading("ARTICLE 3 - TERM AND TERMINATION")
        .text("3.1 Term. This Agreement starts on the Effective Date and continues for an initial term of three (3) years. "
              "It then renews automatically for successive one (1) year terms unless either Party gives notice of "
              "non-renewal at least ninety (90) days before the end of the then-current term.")
        .text("3.2 Termination for Convenience. Customer may terminate this Agreement for convenience on sixty (60) days' "
              "written notice, subject to the payment of the Fees accrued under Article 4 up to the date of termination.")
        .text("3.3 Termination for Cause. Either Party may terminate this Agreement immediately by notice if the other "
              "Party commits a material breach that is not cured within thirty (30) days after notice of the breach.")
        .text("3.4 Effect of Termination. Sections 5.2, 6.1 through 6.3 and Article 8 survive any termination or expiry "
              "of this Agreement.")
        .heading("ARTICLE 4 - FEES AND PAYMENT")
        .text("4.1 Fees. Customer shall pay the Fees for the Services. Provider shall invoice monthly in arrears.")
        .text("4.2 Payment Terms. Invoices are due within thirty (30) days of receipt. Late amounts bear interest at one "
              "percent (1%) per month or the highest rate permitted by law, whichever is lower.")
        .text("4.3 Price Adjustment. Provider may increase the Fees once in each calendar year by no more than the "
              "change in the consumer price index over the preceding twelve months, on sixty (60) days' notice.")
        .heading("ARTICLE 5 - INTELLECTUAL PROPERTY")
        .text("5.1 Provider Materials. Provider retains all rights in its software, models and know-how, including any "
              "improvements made while performing the Services.")
        .text("5.2 Deliverables. Upon payment of the Fees, Customer owns the Deliverables. Provider grants Customer a "
              "non-exclusive, perpetual, royalty-free licence to use any Provider materials embedded in the Deliverables "
              "for Customer's internal business purposes only.")
        .heading("ARTICLE 6 - CONFIDENTIALITY")
        .text("6.1 Definition. \"Confidential Information\" means all non-public information disclosed by one Party to the "
              "other that is marked confidential or that a reasonable person would understand to be confidential.")
        .text("6.2 Obligations. The receiving Party shall use Confidential Information only to perform this Agreement and "
              "shall not disclose it to any third party except its employees and advisers who need to know it.")
        .text("6.3 Exceptions. Section 6.2 does not apply to information that is or becomes public through no fault of "
              "the receiving Party, or that the receiving Party must disclose by law.")
        .heading("ARTICLE 7 - DATA PROTECTION")
        .text("7.1 Provider shall process Customer data only on Customer's documented instructions and shall keep it in "
              "data centres located in the European Union or the United States.")
        .heading("ARTICLE 8 - LIABILITY")
        .text("8.1 Cap. Except for breaches of Article 6, each Party's total liability under this Agreement shall not "
              "exceed the Fees paid in the twelve (12) months before the claim arose.")
        .text("8.2 Exclusions. Neither Party is liable for indirect or consequential loss, or for loss of profits, "
              "revenue or goodwill, even if advised of its possibility.")
        .text("8.3 Indemnity. Provider shall indemnify Customer against any third-party claim that the Services "
              "infringe that third party's intellectual property rights, subject to the cap in Section 8.1.")
        .heading("ARTICLE 9 - GENERAL")
        .text("9.1 Governing Law. This Agreement is governed by the laws of the State of New York, and the courts of "
              "New York County have exclusive jurisdiction.")
        .text("9.2 Assignment. Neither Party may assign this Agreement without the other Party's prior written consent, "
              "except to a successor in a merger or a sale of substantially all of its assets.")
        .text("9.3 Notices. Notices must be in writing and delivered by hand, by courier or by email to the addresses in "
              "Schedule 2.")
        .text("9.4 Entire Agreement. This Agreement, its Exhibits and Schedules are the whole agreement between the "
              "Parties on its subject matter.")
        .centered("[Signature page follows]")
        .heading("SIGNATURES")
        .text("NORTHWIND ANALYTICS LTD.  By: Eleanor Marsh, Chief Executive Officer")
        .text("HARBOR FREIGHT LOGISTICS INC.  By: Daniel Ortega, Vice President, Operations")
        .heading("EXHIBIT A - SERVICES AND SERVICE LEVELS")
        .text("Weekly shipment forecasts per warehouse, delivered by 08:00 each Monday. Forecast availability of 99.5% "
              "each calendar month. Support requests answered within four (4) business hours.")
        .heading("EXHIBIT B - FORM OF STATEMENT OF WORK")
        .text("Each Statement of Work states its scope, Deliverables, milestones, Fees and the contacts of each Party.")
        .heading("SCHEDULE 1 - FEES AND SERVICE CREDITS")
        .text("Monthly fee: USD 18,500. Service credit: 5% of the monthly fee for each full 0.5% below the availability "
              "target in Exhibit A, up to 25% of the monthly fee.")
        .heading("SCHEDULE 2 - NOTICE ADDRESSES")
        .text("Provider: 14 Quay Street, Bristol. Customer: 900 Harbor Drive, Wilmington, Delaware.");
    return b.spec;
}

ContractPdfSpec licenseAgreement()
{
    Builder b;
    b.spec.runningHeader = "Software License Agreement - Lumen Systems";
    b.title("SOFTWARE LICENSE AGREEMENT")
        .text("THIS SOFTWARE LICENSE AGREEMENT (this \"Agreement\") is made on January 15, 2024 (the \"Effective Date\") "
              "between Lumen Systems Corp., a California corporation (the \"Licensor\"), and Greenfield Health Partners "
              "LLC, an Oregon limited liability company (the \"Licensee\").")
        .heading("1. DEFINITIONS")
        .text("1.1 \"Software\" means the Lumen Scheduler program in object code, its updates and the Documentation.")
        .text("1.2 \"Documentation\" means the user manuals that Licensor makes available for the Software.")
        .text("1.3 \"Authorized Users\" means employees and contractors of Licensee, up to the number stated in "
              "Exhibit A.")
        .text("1.4 \"Territory\" means the United States of America.")
        .heading("2. LICENSE GRANT")
        .text("2.1 Grant. Subject to Section 3, Licensor grants Licensee a non-exclusive, non-transferable license to "
              "install and use the Software in the Territory for Licensee's internal operations.")
        .text("2.2 Restrictions. Licensee shall not:")
        .text("(a) sublicense, rent or lend the Software to any third party;", 1)
        .text("(b) reverse engineer or decompile the Software, except to the extent applicable law permits despite this "
              "limitation; or", 1)
        .text("(c) use the Software to provide services to third parties.", 1)
        .text("2.3 Audit. Licensor may audit Licensee's use of the Software once per year on fifteen (15) days' notice "
              "to confirm compliance with Sections 2.1 and 2.2.")
        .heading("3. FEES")
        .text("3.1 License Fee. Licensee shall pay the license fee stated in Exhibit A within forty-five (45) days of "
              "the Effective Date.")
        .text("3.2 Maintenance. Maintenance and support are included for the first year and then renew annually at "
              "eighteen percent (18%) of the license fee unless Licensee declines in writing.")
        .heading("4. WARRANTY")
        .text("4.1 Licensor warrants that the Software will perform substantially as described in the Documentation for "
              "ninety (90) days after delivery. Licensee's exclusive remedy for a breach of this warranty is repair, "
              "replacement or a refund of the license fee, as described in Section 4.2.")
        .text("4.2 If Licensor cannot repair or replace the Software within thirty (30) days, either Party may end the "
              "license and Licensor shall refund the license fee.")
        .heading("5. TERM AND TERMINATION")
        .text("5.1 This Agreement continues until terminated under this Section 5.")
        .text("5.2 Licensor may terminate this Agreement if Licensee breaches Section 2.2 and does not cure the breach "
              "within fifteen (15) days of notice.")
        .text("5.3 On termination, Licensee shall stop using the Software and destroy all copies, and Sections 6 and 7 "
              "survive.")
        .heading("6. LIMITATION OF LIABILITY")
        .text("6.1 IN NO EVENT SHALL LICENSOR BE LIABLE FOR ANY INDIRECT, INCIDENTAL OR CONSEQUENTIAL DAMAGES. LICENSOR'S "
              "AGGREGATE LIABILITY SHALL NOT EXCEED THE LICENSE FEE PAID UNDER SECTION 3.1.")
        .heading("7. MISCELLANEOUS")
        .text("7.1 Governing Law. This Agreement shall be governed by the laws of the State of California.")
        .text("7.2 Change of Control. Licensee may not assign this Agreement, including by a change of control, without "
              "Licensor's written consent, which shall not be unreasonably withheld.")
        .text("7.3 Non-Solicitation. During the term and for twelve (12) months after, neither Party shall solicit for "
              "employment any employee of the other Party who worked on the Software.")
        .heading("EXHIBIT A - LICENSE DETAILS")
        .text("Authorized Users: 250. License fee: USD 96,000. Delivery: electronic download within five (5) days of the "
              "Effective Date.");
    return b.spec;
}

ContractPdfSpec leaseAgreement()
{
    Builder b;
    b.spec.runningHeader = "Commercial Lease - 41 Mill Road";
    b.title("COMMERCIAL LEASE AGREEMENT")
        .text("This Commercial Lease Agreement (the \"Lease\") is made on June 1, 2023 between Riverside Property "
              "Holdings LLC (the \"Landlord\") and Copperleaf Bakery Inc. (the \"Tenant\").")
        .heading("ARTICLE I - PREMISES AND TERM")
        .text("Section 1.01 Premises. Landlord leases to Tenant the ground floor unit at 41 Mill Road, shown on "
              "Exhibit A (the \"Premises\").")
        .text("Section 1.02 Term. The term of this Lease is five (5) years from July 1, 2023 (the \"Commencement "
              "Date\"), unless ended earlier under Article IV.")
        .text("Section 1.03 Renewal Option. Tenant may extend the term once for a further five (5) years by notice "
              "given at least six (6) months before the term ends, at the rent determined under Section 2.03.")
        .heading("ARTICLE II - RENT")
        .text("Section 2.01 Base Rent. Tenant shall pay base rent of USD 7,200 per month in advance on the first day of "
              "each month.")
        .text("Section 2.02 Security Deposit. Tenant shall deposit USD 21,600 with Landlord on signing this Lease.")
        .text("Section 2.03 Renewal Rent. Rent for a renewal term shall be the fair market rent, but not less than the "
              "base rent in Section 2.01.")
        .heading("ARTICLE III - USE AND MAINTENANCE")
        .text("Section 3.01 Permitted Use. Tenant shall use the Premises only as a bakery and cafe, and for no other "
              "purpose without Landlord's consent.")
        .text("Section 3.02 Exclusivity. Landlord shall not lease any other unit at 41 Mill Road to a bakery during "
              "the term.")
        .text("Section 3.03 Insurance. Tenant shall maintain commercial general liability insurance of at least USD "
              "2,000,000 per occurrence and name Landlord as an additional insured.")
        .heading("ARTICLE IV - DEFAULT")
        .text("Section 4.01 Events of Default. Each of the following is an event of default:")
        .text("(a) Tenant fails to pay rent within ten (10) days after it is due;", 1)
        .text("(b) Tenant fails to perform any other obligation within thirty (30) days after notice; or", 1)
        .text("(c) Tenant becomes insolvent or makes an assignment for the benefit of creditors.", 1)
        .text("Section 4.02 Remedies. On an event of default under Section 4.01(a) or (b), Landlord may terminate this "
              "Lease by notice and recover the rent due to the end of the term, less any rent Landlord receives from "
              "re-letting the Premises.")
        .heading("ARTICLE V - GENERAL")
        .text("Section 5.01 Governing Law. This Lease is governed by the laws of the Commonwealth of Massachusetts.")
        .text("Section 5.02 Assignment and Subletting. Tenant shall not assign this Lease or sublet the Premises without "
              "Landlord's consent, which Landlord shall not unreasonably withhold.")
        .heading("EXHIBIT A - PLAN OF THE PREMISES")
        .text("Ground floor, unit 2, approximately 1,850 square feet, with the rear loading bay shared with unit 3.");
    return b.spec;
}

}  // namespace

std::vector<SampleContract> sampleContracts()
{
    return {
        {"Northwind-Harbor Master Services Agreement.pdf", servicesAgreement()},
        {"Lumen-Greenfield Software License.pdf", licenseAgreement()},
        {"Riverside-Copperleaf Commercial Lease.pdf", leaseAgreement()},
    };
}

std::vector<std::string> writeSampleContracts(const std::string& folder)
{
    std::filesystem::create_directories(folder);
    std::vector<std::string> files;
    for (const auto& [name, spec] : sampleContracts()) {
        const std::string file = (std::filesystem::path(folder) / name).string();
        writeContractPdf(spec, file);
        files.push_back(file);
    }
    return files;
}

}  // namespace folio::app
