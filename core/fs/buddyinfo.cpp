// /proc/buddyinfo: free blocks per order of each populated zone
// (mm/vmstat.c frag_show_print()).
#include "core/fs/internal.h"

namespace mm {

namespace {

std::string buddyinfo(const Machine& m) {
    std::string out;
    for_each_populated_zone(m, [&](const Node& node, const Zone& zone) {
        appendf(out, "Node %d, zone %8s ", node.id, zone.name());
        for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o)
            appendf(out, "%6llu ", ull(zone.free_area[o].nr_free));
        out += '\n';
    });
    return out;
}

} // namespace

void register_fs_buddyinfo() {
    register_file({"/proc/buddyinfo", buddyinfo, nullptr});
}

} // namespace mm
