#include "contract_fixtures.h"

#include <sstream>

namespace folio::test {

std::string supplyAgreementText()
{
    return R"(SUPPLY AGREEMENT

This Supply Agreement (the "Agreement") is made on 1 April 2024 between Acme Widgets Ltd ("Supplier") and Borealis Retail GmbH (hereinafter referred to as the "Buyer"). Supplier and Buyer are each a "Party".

RECITALS

WHEREAS, Supplier makes widgets; and

WHEREAS, Buyer wishes to buy them for USD 1,250.00 per 100 units.

NOW, THEREFORE, the Parties agree as follows:

ARTICLE I

DEFINITIONS

1.1 "Products" means the widgets listed in Schedule 2.

1.2 "Confidential Information" has the meaning given in Section 7.1.

1.3 "Delivery Point" shall mean the Buyer warehouse named in Exhibit A.

ARTICLE II

SUPPLY

2.1 Orders. Buyer may order Products under this Article. Supplier shall follow the Quality Manual.

2.2 Delivery. Supplier shall deliver:

(a) within ten (10) days of an order; and

(b) to the Delivery Point, subject to paragraph (a) above, with:

(i) a packing list; and

(ii) an invoice referring to Section 2.1.

ARTICLE III

TERM

3.1 Term. This Agreement runs for two (2) years from 1 April 2024.

3.2 Renewal. It renews for one (1) year periods under Section 3.1. Buyer may audit compliance with the Quality Manual.

3.3 Termination. Either Party may terminate under this Section on ninety (90) days' notice. Sections 3.1 through 3.3 survive only as stated in Article IV. The rights under Section 365(n) of the Bankruptcy Code are not affected.

ARTICLE IV

MISCELLANEOUS

4.1 Survival. Section 2.2(b)(ii) and Article II survive termination, as do Section 9.9 and Exhibit C. Nothing limits Section 16 of the Securities Exchange Act of 1934.

4.2 Notices. For purposes of this Section, "Notice" means a written notice. A Notice is given when delivered. "Products" means widgets and spare parts.

IN WITNESS WHEREOF, the Parties have signed this Agreement.

EXHIBIT A - DELIVERY POINT

Buyer's warehouse at 12 Harbour Road.

SCHEDULE 2

PRODUCTS

1. Blue widgets.

2. Red widgets.
)";
}

app::ContractPdfSpec supplyAgreementPdf()
{
    using Style = app::ContractParagraph::Style;
    app::ContractPdfSpec spec;
    spec.runningHeader = "Supply Agreement - Acme / Borealis";
    std::istringstream in(supplyAgreementText());
    bool first = true;
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        bool capitals = line.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;
        Style style = first ? Style::Title : capitals ? Style::Heading : Style::Body;
        int indent = line[0] == '(' ? (line[1] == 'i' ? 2 : 1) : 0;
        spec.paragraphs.push_back({style, line, indent});
        first = false;
    }
    return spec;
}

}  // namespace folio::test
