// The status bar: one line at the bottom of the window saying what the
// machine is (architecture, RAM, CPUs, nodes, free and managed pages) and
// how many commands made it, and its clock.
#include "core/base/text.h"
#include "core/mm/machine.h"
#include "ui/help.h"
#include "ui/panels.h"
#include "ui/text.h"

#include <imgui.h>

#include <cinttypes>
#include <cstdio>

namespace ui {

void status_bar(const PanelContext& ctx, float x, float y, float width, float height) {
    const mm::Machine& machine = ctx.lab.machine();
    const mm::BootParams& params = machine.params();
    ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(width, height), ImGuiCond_Always);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8.0f, 0.0f));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_MenuBarBg));
    const ImGuiWindowFlags flags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
        ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav |
        ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
    if (ImGui::Begin("##status", nullptr, flags)) {
        unsigned populated = 0;
        for (const mm::Node& node : machine.nodes())
            for (const mm::Zone& zone : node.zones)
                populated += zone.populated() ? 1 : 0;
        const uint64_t managed = machine.total_managed();
        const uint64_t free = machine.total_free();
        const size_t nodes = machine.nodes().size();
        char text[320];
        std::snprintf(
            text, sizeof text,
            "%s  |  RAM %s  |  %u CPU%s  |  %zu node%s, %u zone%s  |  free %" PRIu64 " of %" PRIu64
            " managed pages (%s of %s)  |  clock %" PRIu64 ".%03" PRIu64 " s  |  history %zu",
            mm::arch_name(params.arch), format_bytes(params.ram).c_str(), params.cpus,
            params.cpus == 1 ? "" : "s", nodes, nodes == 1 ? "" : "s", populated,
            populated == 1 ? "" : "s", free, managed, format_bytes(free * mm::PAGE_SIZE).c_str(),
            format_bytes(managed * mm::PAGE_SIZE).c_str(), machine.now_ms() / 1000,
            machine.now_ms() % 1000, ctx.lab.history().size());
        ImGui::AlignTextToFramePadding();
        ui::text(text);
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("The machine: boot arch=%s ram=%s cpus=%u nodes=%u.\n"
                              "managed pages: what the buddy allocator got at boot (MemTotal);\n"
                              "free pages: NR_FREE_PAGES, summed over every zone.\n"
                              "clock: the machine's time since boot; only `tick` moves it.\n"
                              "history: the commands that made this machine since its boot.",
                              mm::arch_name(params.arch), mm::format_size(params.ram).c_str(),
                              params.cpus, params.nodes);
        }
        // The UI's own time per frame, at the right when there is room.
        char timing[32];
        std::snprintf(timing, sizeof timing, "UI %.2f ms", static_cast<double>(ctx.view.frame_ms));
        const float timing_width = ImGui::CalcTextSize(timing).x;
        const float right = width - timing_width - 8.0f;
        if (right > ImGui::GetItemRectMax().x - x + 16.0f) {
            ImGui::SameLine(right);
            ui::text_disabled("%s", timing);
        }
    }
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(3);
}

} // namespace ui
