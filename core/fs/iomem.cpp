// /proc/iomem: the physical address map as root reads it (kernel/resource.c
// r_show(): "%0*llx-%0*llx : %s", 8 hex digits at least, children indented
// by two spaces; other users read every address as 0). The resources are
// those e820__reserve_resources() and the kernel image insert: "Reserved"
// for page 0 (trim_bios_range()), "System RAM" for each RAM range, and the
// kernel image inside the RAM that holds it.
#include "core/fs/internal.h"

namespace mm {

namespace {

void resource_line(std::string& out, unsigned depth, uint64_t start, uint64_t end,
                   const char* name) {
    appendf(out, "%*s%08llx-%08llx : %s\n", static_cast<int>(depth * 2), "", ull(start), ull(end),
            name);
}

std::string iomem(const Machine& m) {
    std::string out;
    const bool pc = m.arch() != Arch::toy;
    // Page 0: e820 RAM that trim_bios_range() turned into E820_TYPE_RESERVED.
    if (pc) resource_line(out, 0, 0, PAGE_SIZE - 1, "Reserved");
    for (const RamRange& r : m.ram_ranges()) {
        uint64_t start = pfn_to_phys(r.start).value();
        uint64_t end = pfn_to_phys(r.end).value() - 1;
        // The first RAM range ends at EBDA_START (0x9fc00) in the e820 map,
        // inside a page the memmap leaves out as not whole RAM.
        if (pc && start < 0x100000 && end + 1 == 0x9f000) end = 0x9fbff;
        resource_line(out, 0, start, end, "System RAM");
        for (const Reservation& res : m.reservations()) {
            if (res.kind != ReserveKind::KernelImage) continue;
            const uint64_t lo = pfn_to_phys(res.start_pfn).value();
            const uint64_t hi = lo + res.nr_pages * PAGE_SIZE - 1;
            // The lab's image is one block; a real kernel splits it into
            // "Kernel code", "Kernel rodata", "Kernel data" and "Kernel bss".
            if (lo >= start && hi <= end) resource_line(out, 1, lo, hi, "Kernel image");
        }
    }
    return out;
}

} // namespace

void register_fs_iomem() {
    register_file({"/proc/iomem", iomem, nullptr});
}

} // namespace mm
