#include "folio/analysis/outline.h"

#include "outline_builder.h"

#include <stdexcept>

namespace folio::analysis {

const char* toString(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Title: return "title";
    case NodeKind::Preamble: return "preamble";
    case NodeKind::Recitals: return "recitals";
    case NodeKind::Article: return "article";
    case NodeKind::Section: return "section";
    case NodeKind::Item: return "item";
    case NodeKind::Heading: return "heading";
    case NodeKind::Exhibit: return "exhibit";
    case NodeKind::Signature: return "signature";
    }
    return "heading";
}

NodeKind nodeKindFromString(const std::string& text)
{
    for (NodeKind k : {NodeKind::Title, NodeKind::Preamble, NodeKind::Recitals, NodeKind::Article, NodeKind::Section,
                       NodeKind::Item, NodeKind::Heading, NodeKind::Exhibit, NodeKind::Signature})
        if (text == toString(k))
            return k;
    throw std::invalid_argument("unknown outline node kind: " + text);
}

std::vector<int> Outline::topLevel() const
{
    std::vector<int> out;
    for (const OutlineNode& n : nodes_)
        if (n.parent < 0)
            out.push_back(n.id);
    return out;
}

int Outline::nodeAt(int offset) const
{
    int best = -1;
    for (const OutlineNode& n : nodes_) {
        if (n.range.start > offset)
            break;
        if (n.range.contains(offset) && (best < 0 || n.depth >= nodes_[best].depth))
            best = n.id;
    }
    return best;
}

std::vector<int> Outline::ancestorsAt(int offset) const
{
    std::vector<int> chain;
    for (int n = nodeAt(offset); n >= 0; n = nodes_[n].parent)
        chain.push_back(n);
    return chain;
}

Outline Outline::build(const ContractText& text)
{
    return OutlineBuilder(text).build();
}

}  // namespace folio::analysis
