// boot: parses its arguments, replaces the lab's machine, and describes the
// new one (docs/console.md "boot").
#include "core/base/text.h"
#include "core/console/registry.h"

#include <cstdio>

namespace mm {

// Parses boot's arguments into *p; false with one line in *error when an
// argument is unknown, malformed, or the machine it asks for is refused by
// Machine::validate().
bool parse_boot_args(const CommandLine& line, BootParams* p, std::string* error) {
    auto args = Args::parse(
        line, {"arch", "ram", "cpus", "nodes", "swap", "movablecore", "seed", "pcp"}, 0, error);
    if (!args) return false;
    BootParams params;
    if (auto arch = args->get("arch")) {
        if (*arch == "x86_64")
            params.arch = Arch::x86_64;
        else if (*arch == "i386")
            params.arch = Arch::i386;
        else if (*arch == "toy")
            params.arch = Arch::toy;
        else {
            *error = "arch=" + quote_input(*arch) + ": must be x86_64, i386 or toy";
            return false;
        }
    }
    if (params.arch == Arch::toy) params.ram = kToyDefaultRam;
    // The toy machine shows the buddy core alone; real configurations run
    // with per-CPU lists, as every SMP kernel does.
    params.pcp = params.arch != Arch::toy;
    if (auto pcp = args->get("pcp")) {
        if (*pcp == "on")
            params.pcp = true;
        else if (*pcp == "off")
            params.pcp = false;
        else {
            *error = "pcp=" + quote_input(*pcp) + ": must be on or off";
            return false;
        }
    }
    uint64_t cpus = params.cpus, nodes = params.nodes, seed = 0;
    if (!args->size("ram", &params.ram, error) || !args->size("swap", &params.swap, error) ||
        !args->size("movablecore", &params.movablecore, error) ||
        !args->number("cpus", 1, kMaxCpus, &cpus, error) ||
        !args->number("nodes", 1, kMaxNodes, &nodes, error) ||
        !args->number("seed", 0, UINT64_MAX, &seed, error))
        return false;
    params.cpus = static_cast<unsigned>(cpus);
    params.nodes = static_cast<unsigned>(nodes);
    params.seed = seed;
    if (auto problem = Machine::validate(params, args->get("ram").value_or(""))) {
        *error = *problem;
        return false;
    }
    *p = params;
    return true;
}

nlohmann::ordered_json boot_data(const Machine& m) {
    nlohmann::ordered_json zones = nlohmann::ordered_json::array();
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            zones.push_back({{"node", node.id},
                             {"zone", zone.name()},
                             {"start_pfn", zone.zone_start_pfn},
                             {"end_pfn", zone.end_pfn()},
                             {"spanned", zone.spanned_pages},
                             {"present", zone.present_pages},
                             {"managed", zone.managed_pages}});
        }
    return {{"zones", zones}};
}

std::string boot_summary(const Machine& m) {
    const BootParams& p = m.params();
    char buf[256];
    std::string out;
    std::snprintf(buf, sizeof buf,
                  "Booted %s: ram=%s, %u CPU%s, %u node%s; MemTotal %llu kB, min_free_kbytes %d\n",
                  arch_name(p.arch), format_size(p.ram).c_str(), p.cpus, p.cpus == 1 ? "" : "s",
                  p.nodes, p.nodes == 1 ? "" : "s",
                  static_cast<unsigned long long>(m.total_managed() << (PAGE_SHIFT - 10)),
                  m.sysctl().min_free_kbytes);
    out += buf;
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            std::snprintf(buf, sizeof buf,
                          "Node %d, zone %8s: pfns %s-%s, %llu managed of %llu present\n", node.id,
                          zone.name(), hex(zone.zone_start_pfn).c_str(),
                          hex(zone.end_pfn() - 1).c_str(),
                          static_cast<unsigned long long>(zone.managed_pages),
                          static_cast<unsigned long long>(zone.present_pages));
            out += buf;
        }
    return out;
}

namespace {

void boot_cmd(LabControl& lab, const CommandLine& line, CommandResult& r) {
    BootParams params;
    if (!parse_boot_args(line, &params, &r.error)) {
        r.ok = false;
        return;
    }
    lab.boot(params, line.text);
    r.out = boot_summary(lab.machine());
    r.data = boot_data(lab.machine());
}

} // namespace

void register_mm_boot() {
    register_command(
        {"boot",
         "boot [arch=x86_64|i386|toy] [ram=SIZE] [cpus=N] [nodes=N] [swap=SIZE] [movablecore=SIZE] "
         "[seed=N] [pcp=on|off]",
         "replace the machine with a freshly booted one",
         "Boots a new machine (the default: x86_64, ram=1G, cpus=2, nodes=1).\n"
         "  x86_64: the memory map of a Firecracker microVM: page 0 and 0x9fc00-0xfffff\n"
         "    are not RAM; with more than 3 GiB, RAM below 4 GiB ends at 3 GiB (the 32-bit\n"
         "    MMIO gap) and the rest starts at 4 GiB, so zones span holes (present <\n"
         "    spanned). Zones DMA (pfns 1-4095), DMA32 (below 4 GiB), Normal, Movable,\n"
         "    Device; ram=16M to 64G. cat /proc/iomem shows the map.\n"
         "  i386: the same low holes; DMA below 16 MiB, Normal up to 896 MiB, HighMem\n"
         "    above; RAM contiguous above 1 MiB; ram=16M to 4G; one node.\n"
         "  toy: one node, one zone (Normal) from pfn 0, nothing reserved, ram=64K to 64G;\n"
         "    min_free_kbytes starts at 0 so every frame can be allocated.\n"
         "  nodes=N (x86_64): N equal NUMA nodes by physical address, boundaries rounded\n"
         "    down to 128 MiB (at least 128M a node), distance 10 local,\n"
         "    20 remote; each node's zonelist is its own zones, highest first, then the\n"
         "    other nodes' in find_next_best_node() order.\n"
         "  movablecore=SIZE: ZONE_MOVABLE is carved from the top of each node's highest\n"
         "    zone, kernelcore spread evenly over the nodes, its start rounded up to 4 MiB\n"
         "    (find_zone_movable_pfns_for_nodes() in mm/mm_init.c).\n"
         "Reserved at boot (x86_64 and i386), so MemTotal is below ram=:\n"
         "  firmware: the RAM of the first 1 MiB (pfns 1-0x9e; reserve_real_mode() keeps\n"
         "    all of it since 5.13);\n"
         "  kernel image: 16 MiB at 16 MiB (CONFIG_PHYSICAL_START), or 4 MiB at 2 MiB on\n"
         "    machines under 64 MiB;\n"
         "  memmap: x86_64, 2 MiB (64-byte struct pages) for each 128 MiB section with\n"
         "    RAM; i386, 32 bytes a frame from pfn 0 to the last; at the top of each\n"
         "    node's kernel memory (i386: the top of lowmem).\n"
         "Free memory then enters the buddy lists as memblock_free_all() releases it:\n"
         "ascending ranges, largest aligned blocks, each at the tail of its list.\n"
         "min_free_kbytes = int_sqrt(lowmem_kbytes * 16), clamped to 128..262144.\n"
         "Follows arch/x86/mm/init.c, mm/mm_init.c, mm/memblock.c, mm/page_alloc.c.\n"
         "pcp=on|off (default on for x86_64 and i386, off for toy): per-CPU page lists.\n"
         "  On, orders 0-3 are allocated from and freed to the CPU's lists, which\n"
         "  refill and drain in batches (see `help pcp_list`); CPU c sits on node\n"
         "  c * nodes / cpus. Off, every zone's lists stay as zone_pcp_disable() leaves\n"
         "  them (high_min = high_max = 0, batch 1): each page passes straight to and\n"
         "  from the buddy lists.\n"
         "Leaves out: KASLR, deferred struct page init, THP's larger min_free_kbytes.\n"
         "swap= is recorded (SwapTotal, CommitLimit) but swapping is not modelled yet.\n"
         "seed=N seeds the lab's own generator (SplitMix64, the same on every build) for\n"
         "what a machine randomizes; in this lab nothing at boot is random yet, so seed=\n"
         "only marks the machine (on a real machine KASLR and the page allocator's\n"
         "shuffling take their seed from the hardware)."},
        boot_cmd);
}

} // namespace mm
