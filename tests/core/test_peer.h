// Test access to the machine's private steps, so that kernel formulas can be
// checked against known zone sizes (a real machine's, tests/data/live).
#pragma once

#include "core/mm/machine.h"

namespace mm {

class MachineTestPeer {
  public:
    static void set_managed(Machine& m, unsigned node, unsigned zone, uint64_t managed) {
        m.m_nodes[node].zones[zone].managed_pages = managed;
    }
    static void set_min_free_kbytes(Machine& m, int value) { m.m_sysctl.min_free_kbytes = value; }
    static void recalc(Machine& m) {
        m.setup_per_zone_wmarks();
        m.setup_per_zone_lowmem_reserve();
    }
    static void calculate_min_free_kbytes(Machine& m) { m.calculate_min_free_kbytes(); }
    // What boost_watermark() does on a migratetype fallback (#11): raise the
    // zone's boost and set ZONE_BOOSTED_WATERMARK.
    static void boost(Machine& m, unsigned node, unsigned zone, uint64_t pages) {
        m.m_nodes[node].zones[zone].watermark_boost = pages;
        m.m_nodes[node].zones[zone].boosted_watermark = true;
    }
};

} // namespace mm
