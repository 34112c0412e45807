// Zonelists: the order in which an allocation tries the zones of every node
// (mm/page_alloc.c build_zonelists(), find_next_best_node()).
#include "core/mm/machine.h"

#include <algorithm>

namespace mm {

// ---- Zonelists ----------------------------------------------------------------

// build_zonelists(): the local node first, then the others by
// find_next_best_node(): distance 10 local / 20 remote, +1 for a lower id,
// +1 (PENALTY_FOR_NODE_WITH_CPUS) for every node (in this lab each node is
// taken to have CPUs, even with fewer cpus= than nodes=), and
// node_load, which accumulates over the nodes' builds and makes equidistant
// nodes round-robin. Within a node, populated zones from the highest down.
void Machine::build_zonelists() {
    const unsigned nr = static_cast<unsigned>(m_nodes.size());
    std::vector<unsigned> node_load(nr, 0);
    auto distance = [](unsigned a, unsigned b) { return a == b ? 10u : 20u; };
    for (unsigned local = 0; local < nr; ++local) {
        std::vector<bool> used(nr, false);
        std::vector<unsigned> order;
        unsigned prev = local;
        for (;;) {
            int best = -1;
            if (!used[local]) {
                best = static_cast<int>(local);
            } else {
                uint64_t min_val = UINT64_MAX;
                for (unsigned n = 0; n < nr; ++n) {
                    if (used[n]) continue;
                    uint64_t val = distance(local, n) + (n < local ? 1 : 0) + 1;
                    val = val * MAX_NUMNODES + node_load[n];
                    if (val < min_val) {
                        min_val = val;
                        best = static_cast<int>(n);
                    }
                }
            }
            if (best < 0) break;
            used[best] = true;
            if (distance(local, best) != distance(local, prev)) node_load[best] += 1;
            order.push_back(static_cast<unsigned>(best));
            prev = static_cast<unsigned>(best);
        }
        Node& node = m_nodes[local];
        node.zonelist.clear();
        for (unsigned n : order) {
            const Node& other = m_nodes[n];
            for (int z = static_cast<int>(other.zones.size()) - 1; z >= 0; --z)
                if (other.zones[z].populated())
                    node.zonelist.push_back(ZoneRef{other.id, static_cast<uint8_t>(z)});
        }
    }
}

std::string Machine::zonelist_text(unsigned node, unsigned highest_zoneidx) const {
    std::string out;
    for (ZoneRef ref : m_nodes[node].zonelist) {
        if (ref.zone > highest_zoneidx) continue;
        if (!out.empty()) out += ", ";
        out += "Node " + std::to_string(ref.node) + " " + zone(ref).name();
    }
    return out;
}

} // namespace mm
