// What ui/ asks of the platform (web/ implements it with GL; the smoke test
// passes nullptr): textures for large pictures such as the physical map of
// millions of frames, and a reader for long text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ui {

class Platform {
  public:
    virtual ~Platform() = default;
    // Creates or replaces an RGBA8 texture of width x height; returns the
    // ImTextureID value to draw it with (0 when textures are unavailable).
    virtual uintptr_t upload_texture(uintptr_t existing, int width, int height,
                                     const uint32_t* rgba) = 0;
    virtual void destroy_texture(uintptr_t texture) = 0;

    // The reader: `text` shown whole over the lab, titled `title`, where the
    // student can select and copy it (the page's HTML <pre>: SDL's
    // Emscripten port has no clipboard, and an ImGui window cuts long lines).
    // A platform without one (the desktop) says so with has_reader(), and the
    // console then offers no reader button; open_reader() ignores the call.
    virtual bool has_reader() const { return false; }
    virtual void open_reader(std::string_view title, std::string_view text) {
        (void)title;
        (void)text;
    }
};

} // namespace ui
