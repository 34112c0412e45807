// The lab's platform layer: one main for the desktop (SDL2 + OpenGL 3.0,
// `mmlab-desktop`) and the browser (SDL2 + WebGL 2 through Emscripten, the
// page's mmlab.wasm). It opens the window, runs Dear ImGui's SDL2 and OpenGL3
// backends, keeps the fonts sharp at the device pixel ratio, gives ui/ its GL
// textures (ui::Platform) and drives ui::App once per frame.
//
// Sections: 1. GL textures  2. the window  3. the frame  4. desktop options
//           5. main
#include "core/lab/lab.h"
#include "ui/app.h"
#include "ui/platform.h"
#include "ui/view_state.h"
#include "web/png_writer.h"
#include "web/shell.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/html5.h>

#include <GLES3/gl3.h>
#else
#include <SDL_opengl.h>
#endif

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace web {

Shell& shell() {
    static Shell s;
    return s;
}

#ifndef __EMSCRIPTEN__
void notify_ready() {}
void notify_failure(const char*) {}
void mark(const char*) {}
void platform_request(int) {
    if (shell().app != nullptr)
        shell().app->note(
            "Share links, state files and the tour are in the browser version of the lab.");
}
#endif

namespace {

// 1. GL textures ----------------------------------------------------------------

// ui::Platform with GL textures: RGBA8, nearest filtering (a texel is a cell
// of a map, such as one page frame, and must stay a crisp square when zoomed).
class GlPlatform final : public ui::Platform {
  public:
    uintptr_t upload_texture(uintptr_t existing, int width, int height,
                             const uint32_t* rgba) override {
        if (width <= 0 || height <= 0 || rgba == nullptr) return existing;
        GLint previous = 0;
        glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
        GLuint texture = static_cast<GLuint>(existing);
        if (texture == 0) {
            glGenTextures(1, &texture);
            glBindTexture(GL_TEXTURE_2D, texture);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        } else {
            glBindTexture(GL_TEXTURE_2D, texture);
        }
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        Size& size = m_sizes[texture];
        if (size.width == width && size.height == height) {
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        } else {
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                         rgba);
            size = {width, height};
        }
        glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
        return texture;
    }

    void destroy_texture(uintptr_t texture) override {
        if (texture == 0) return;
        GLuint id = static_cast<GLuint>(texture);
        glDeleteTextures(1, &id);
        m_sizes.erase(id);
    }

#ifdef __EMSCRIPTEN__
    // The page's reader: an HTML <pre> over the canvas (web/api.js).
    bool has_reader() const override {
        return true;
    }
    void open_reader(std::string_view title, std::string_view text) override {
        web::open_reader(std::string(title), std::string(text));
    }
#endif

  private:
    struct Size {
        int width = 0, height = 0;
    };
    std::unordered_map<GLuint, Size> m_sizes;
};

// 2. The window -----------------------------------------------------------------

struct Options {
    int width = 1280, height = 800; // desktop window, logical pixels
    std::string screenshot;         // desktop: write the last frame here and exit
    uint64_t frames = 0;            // desktop: frames to draw before exiting (0: run)
    std::string commands;           // desktop: command text to run before the first frame
};

struct Window {
    SDL_Window* window = nullptr;
    SDL_GLContext gl = nullptr;
    const char* glsl_version = nullptr;
};

// Opens the window with a GL context: OpenGL 3.0 (GLSL 130) on the desktop,
// OpenGL ES 3.0 = WebGL 2 (GLSL 300 es) in the browser. Returns a null window
// with SDL's error printed on failure.
Window open_window(const Options& options) {
    Window w;
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "mmlab: SDL_Init: %s\n", SDL_GetError());
        return w;
    }
#ifdef __EMSCRIPTEN__
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    w.glsl_version = "#version 300 es";
#else
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    w.glsl_version = "#version 130";
#endif
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    // In the page the canvas takes its size from CSS (index.html: the whole
    // window) and SDL sizes its backing store to that times devicePixelRatio.
    const auto flags = static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE |
                                                    SDL_WINDOW_ALLOW_HIGHDPI);
    w.window = SDL_CreateWindow("mmlab", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                options.width, options.height, flags);
    if (w.window == nullptr) {
        std::fprintf(stderr, "mmlab: SDL_CreateWindow: %s\n", SDL_GetError());
        return w;
    }
    w.gl = SDL_GL_CreateContext(w.window);
    if (w.gl == nullptr) {
        std::fprintf(stderr, "mmlab: SDL_GL_CreateContext: %s\n", SDL_GetError());
        SDL_DestroyWindow(w.window);
        w.window = nullptr;
        return w;
    }
    SDL_GL_MakeCurrent(w.window, w.gl);
    SDL_GL_SetSwapInterval(1);
    const auto* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
    shell().gl_version = version ? version : "";
    return w;
}

#ifdef __EMSCRIPTEN__
// The canvas must cover the page at its CSS size, with a backing store of that
// size times devicePixelRatio. SDL follows the window's resize events, but a
// devicePixelRatio change (browser zoom, another screen) need not come with
// one, so every frame checks.
void sync_canvas_size(SDL_Window* window) {
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    if (css_w < 1 || css_h < 1) return;
    const double dpr = emscripten_get_device_pixel_ratio();
    int win_w = 0, win_h = 0;
    SDL_GetWindowSize(window, &win_w, &win_h);
    const int want_w = static_cast<int>(css_w), want_h = static_cast<int>(css_h);
    if (win_w != want_w || win_h != want_h) SDL_SetWindowSize(window, want_w, want_h);
    // As SDL computes it (Emscripten_HandleResize), so that the two agree.
    const int fb_w = static_cast<int>(css_w * dpr), fb_h = static_cast<int>(css_h * dpr);
    int cur_w = 0, cur_h = 0;
    emscripten_get_canvas_element_size("#canvas", &cur_w, &cur_h);
    if (cur_w != fb_w || cur_h != fb_h) emscripten_set_canvas_element_size("#canvas", fb_w, fb_h);
}
#endif

// The framebuffer's size in device pixels.
void framebuffer_size(SDL_Window* window, int* w, int* h) {
#ifdef __EMSCRIPTEN__
    (void)window;
    emscripten_get_canvas_element_size("#canvas", w, h);
#else
    SDL_GL_GetDrawableSize(window, w, h);
#endif
}

// Device pixels per logical pixel: devicePixelRatio in the page; on the
// desktop the drawable's size over the window's (1 on X11).
float pixel_scale(SDL_Window* window) {
#ifdef __EMSCRIPTEN__
    (void)window;
    const double dpr = emscripten_get_device_pixel_ratio();
    return dpr > 0 ? static_cast<float>(dpr) : 1.0f;
#else
    int w = 0, h = 0, fb_w = 0, fb_h = 0;
    SDL_GetWindowSize(window, &w, &h);
    SDL_GL_GetDrawableSize(window, &fb_w, &fb_h);
    return w > 0 && fb_w > 0 ? static_cast<float>(fb_w) / static_cast<float>(w) : 1.0f;
#endif
}

// 3. The frame ------------------------------------------------------------------

class Loop {
  public:
    Loop(Window window, Options options) : m_window(window), m_options(std::move(options)) {}

    Window& window() { return m_window; }
    bool done() const { return m_quit; }
    int exit_code() const { return m_exit_code; }

    void frame();

  private:
    bool poll_events();
    void feed_mouse(const SDL_Event& ev);
    void apply_mouse();
    void update_fonts();
    void take_screenshot(int fb_w, int fb_h);

    Window m_window;
    Options m_options;
    float m_font_scale = 0;
    float m_text_scale = 1; // ui::text_scale of the view's text size the fonts were built at
    // Events held back to the next frame (see poll_events).
    std::vector<SDL_Event> m_pending;
    // The mouse as the events fed to ImGui so far leave it (feed_mouse):
    // buttons held (ImGui's 0 left, 1 right, 2 middle), buttons pressed
    // during this frame's batch, and the pointer's position.
    bool m_mouse_held[3] = {false, false, false};
    bool m_mouse_pressed[3] = {false, false, false};
    bool m_mouse_known = false;
    ImVec2 m_mouse_pos;
    bool m_quit = false;
    int m_exit_code = 0;
};

// ImGui's index of an SDL mouse button (0 left, 1 right, 2 middle), or -1.
int imgui_button(uint8_t sdl_button) {
    switch (sdl_button) {
    case SDL_BUTTON_LEFT:
        return 0;
    case SDL_BUTTON_RIGHT:
        return 1;
    case SDL_BUTTON_MIDDLE:
        return 2;
    default:
        return -1;
    }
}

// Feeds SDL's events to ImGui, trickled so that none is lost. ImGui 1.86 has
// no input queue: it reads keys and mouse buttons as "held during a frame",
// and its SDL backend keeps one press a frame. So a key pressed and released
// between two frames (a fast typist, a test driving the page) or two quick
// clicks on Next would count once or not at all. The batch of a frame ends
//   1. before a key-up whose key went down in the same batch;
//   2. before a mouse button's down or up when that button already went down
//      or up in the same batch (each frame sees at most one change of each
//      button: a click is a frame with the button down, then one with it up);
// and the rest waits for the next frame. Returns false when the window was
// closed.
bool Loop::poll_events() {
    std::vector<SDL_Event> events;
    events.swap(m_pending);
    SDL_Event e;
    while (SDL_PollEvent(&e))
        events.push_back(e);

    std::vector<SDL_Scancode> down;
    bool button_changed[3] = {false, false, false};
    for (bool& pressed : m_mouse_pressed)
        pressed = false;
    size_t i = 0;
    for (; i < events.size(); i++) {
        const SDL_Event& ev = events[i];
        if (ev.type == SDL_KEYUP &&
            std::find(down.begin(), down.end(), ev.key.keysym.scancode) != down.end())
            break;
        if (ev.type == SDL_MOUSEBUTTONDOWN || ev.type == SDL_MOUSEBUTTONUP) {
            const int b = imgui_button(ev.button.button);
            if (b >= 0 && button_changed[b]) break;
            if (b >= 0) button_changed[b] = true;
        }
        feed_mouse(ev);
        if (ev.type == SDL_KEYDOWN) down.push_back(ev.key.keysym.scancode);
        if (ev.type == SDL_QUIT) m_quit = true;
        if (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_CLOSE &&
            ev.window.windowID == SDL_GetWindowID(m_window.window))
            m_quit = true;
        ImGui_ImplSDL2_ProcessEvent(&events[i]);
    }
    m_pending.assign(events.begin() + static_cast<std::ptrdiff_t>(i), events.end());
    return !m_quit;
}

// Follows the mouse through the events fed this frame (poll_events).
void Loop::feed_mouse(const SDL_Event& ev) {
    if (ev.type == SDL_MOUSEMOTION) {
        m_mouse_pos = ImVec2(static_cast<float>(ev.motion.x), static_cast<float>(ev.motion.y));
        m_mouse_known = true;
    } else if (ev.type == SDL_MOUSEBUTTONDOWN || ev.type == SDL_MOUSEBUTTONUP) {
        m_mouse_pos = ImVec2(static_cast<float>(ev.button.x), static_cast<float>(ev.button.y));
        m_mouse_known = true;
        const int b = imgui_button(ev.button.button);
        if (b < 0) return;
        m_mouse_held[b] = ev.type == SDL_MOUSEBUTTONDOWN;
        if (ev.type == SDL_MOUSEBUTTONDOWN) m_mouse_pressed[b] = true;
    }
}

// After the SDL backend's NewFrame: the mouse as the events fed so far leave
// it. The backend reads SDL's current mouse state, which already holds the
// events that poll_events kept back for later frames (a second click's
// press would hide the first click's release). With nothing kept back, SDL's
// state is the truth (a release SDL never sent as an event is not missed).
void Loop::apply_mouse() {
    ImGuiIO& io = ImGui::GetIO();
    if (m_pending.empty()) {
        const uint32_t buttons = SDL_GetMouseState(nullptr, nullptr);
        m_mouse_held[0] = (buttons & SDL_BUTTON(SDL_BUTTON_LEFT)) != 0;
        m_mouse_held[1] = (buttons & SDL_BUTTON(SDL_BUTTON_RIGHT)) != 0;
        m_mouse_held[2] = (buttons & SDL_BUTTON(SDL_BUTTON_MIDDLE)) != 0;
        m_mouse_known = false;
        return; // the backend's own figures stand
    }
    for (int b = 0; b < 3; b++)
        io.MouseDown[b] = m_mouse_pressed[b] || m_mouse_held[b];
    // Where the backend sees no pointer (it left the window), it stays unseen.
    if (m_mouse_known && io.MousePos.x > -FLT_MAX) io.MousePos = m_mouse_pos;
}

// Builds the font atlas at the current pixel scale when it changed (first
// frame, browser zoom, a window moved to another screen) or the student
// chose another text size (View > Text size).
void Loop::update_fonts() {
    const float scale = pixel_scale(m_window.window);
    const float text = ui::text_scale(shell().app->view().text_size);
    if (std::fabs(scale - m_font_scale) < 0.01f && text == m_text_scale) return;
    const bool rebuild = m_font_scale != 0; // else the backend's first NewFrame builds it
    ui::load_fonts(scale, text);
    m_text_scale = text;
    ui::apply_style(scale);
    if (rebuild) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    m_font_scale = scale;
    shell().stats.pixel_scale = scale;
    shell().stats.font_builds++;
}

void Loop::frame() {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    Shell& sh = shell();

    if (!poll_events()) return;
    if (sh.stats.frames == 0) mark("mmlab:first-frame-start");
#ifdef __EMSCRIPTEN__
    sync_canvas_size(m_window.window);
#endif
    update_fonts();

    // The first frame builds the font atlas and its texture (update_fonts,
    // then the OpenGL3 backend's first NewFrame).
    ImGui_ImplOpenGL3_NewFrame();
    if (sh.stats.frames == 0) mark("mmlab:fonts");
    ImGui_ImplSDL2_NewFrame();
    apply_mouse();
    ImGuiIO& io = ImGui::GetIO();
    int fb_w = 0, fb_h = 0;
    framebuffer_size(m_window.window, &fb_w, &fb_h);
    // ImGui works in logical pixels (ui/style.cpp); the framebuffer scale is
    // what the canvas really has, which SDL's own figure may lag behind.
    if (io.DisplaySize.x > 0 && io.DisplaySize.y > 0)
        io.DisplayFramebufferScale = ImVec2(static_cast<float>(fb_w) / io.DisplaySize.x,
                                            static_cast<float>(fb_h) / io.DisplaySize.y);
    // Headless Chromium's virtual time can give two frames the same timestamp,
    // and ImGui 1.86 asserts on a zero DeltaTime. A long pause
    // (a hidden tab) should not make animations jump either.
    io.DeltaTime = std::clamp(io.DeltaTime, 1e-4f, 0.25f);

    ImGui::NewFrame();
    sh.app->frame();
    ImGui::Render();
    if (ui::PlatformRequest& request = sh.app->view().platform_request;
        request != ui::PlatformRequest::None) {
        const int what = static_cast<int>(request);
        request = ui::PlatformRequest::None;
        platform_request(what);
    }

    glViewport(0, 0, fb_w, fb_h);
    glClearColor(0.055f, 0.06f, 0.07f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    FrameStats& st = sh.stats;
    const double ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
    st.frames++;
    st.cpu_ms = ms;
    st.cpu_ms_avg = st.frames == 1 ? ms : st.cpu_ms_avg + (ms - st.cpu_ms_avg) / 16.0;
    if (st.frames > 1) st.cpu_ms_max = std::max(st.cpu_ms_max, ms);
    st.width = static_cast<int>(io.DisplaySize.x);
    st.height = static_cast<int>(io.DisplaySize.y);
    st.fb_width = fb_w;
    st.fb_height = fb_h;

    if (m_options.frames != 0 && st.frames >= m_options.frames) {
        if (!m_options.screenshot.empty()) take_screenshot(fb_w, fb_h);
        m_quit = true;
    }
    SDL_GL_SwapWindow(m_window.window);
    if (st.frames == 1) {
        mark("mmlab:first-frame");
        notify_ready();
    }
}

// Reads the frame just drawn (the back buffer, before the swap) and writes it
// as PNG. Sets the exit code to 1 when that fails.
void Loop::take_screenshot(int fb_w, int fb_h) {
    std::vector<uint8_t> rgba(size_t(fb_w) * size_t(fb_h) * 4);
#ifndef __EMSCRIPTEN__
    glReadBuffer(GL_BACK);
#endif
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, fb_w, fb_h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    // GL's rows go bottom-up; PNG's top-down.
    std::vector<uint8_t> rgb(size_t(fb_w) * size_t(fb_h) * 3);
    for (int y = 0; y < fb_h; y++) {
        const uint8_t* src = rgba.data() + size_t(fb_h - 1 - y) * size_t(fb_w) * 4;
        uint8_t* dst = rgb.data() + size_t(y) * size_t(fb_w) * 3;
        for (int x = 0; x < fb_w; x++) {
            dst[3 * x + 0] = src[4 * x + 0];
            dst[3 * x + 1] = src[4 * x + 1];
            dst[3 * x + 2] = src[4 * x + 2];
        }
    }
    if (!write_png(m_options.screenshot, fb_w, fb_h, rgb)) {
        std::fprintf(stderr, "mmlab-desktop: cannot write %s\n", m_options.screenshot.c_str());
        m_exit_code = 1;
        return;
    }
    std::fprintf(stderr, "mmlab-desktop: wrote %s (%dx%d, frame %llu)\n",
                 m_options.screenshot.c_str(), fb_w, fb_h,
                 static_cast<unsigned long long>(shell().stats.frames));
}

// 4. Desktop options ------------------------------------------------------------

#ifndef __EMSCRIPTEN__
constexpr const char* kUsage =
    "usage: mmlab-desktop [--size WxH] [-c COMMANDS] [--frames N] [--screenshot FILE.png]\n"
    "  --size WxH         window size in logical pixels (default 1280x800)\n"
    "  -c COMMANDS        run commands (';' or newlines between them) before the first frame\n"
    "  --frames N         draw N frames, then exit\n"
    "  --screenshot FILE  write the last frame as PNG, then exit (default --frames 10)\n";

bool parse_uint(std::string_view text, uint64_t* value) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, *value);
    return ec == std::errc() && ptr == end;
}

// Returns false (after printing why) on a usage error.
bool parse_options(int argc, char** argv, Options* o) {
    for (int i = 1; i < argc; i++) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        } else if (arg == "--screenshot" && has_value) {
            o->screenshot = argv[++i];
        } else if (arg == "--frames" && has_value) {
            if (!parse_uint(argv[++i], &o->frames) || o->frames == 0) {
                std::fprintf(stderr, "mmlab-desktop: --frames: not a positive number: %s\n",
                             argv[i]);
                return false;
            }
        } else if (arg == "-c" && has_value) {
            o->commands += argv[++i];
            o->commands += '\n';
        } else if (arg == "--size" && has_value) {
            const std::string_view size = argv[++i];
            const size_t x = size.find('x');
            uint64_t w = 0, h = 0;
            if (x == std::string_view::npos || !parse_uint(size.substr(0, x), &w) ||
                !parse_uint(size.substr(x + 1), &h) || w < 200 || h < 150 || w > 16384 ||
                h > 16384) {
                std::fprintf(stderr, "mmlab-desktop: --size: expected WxH, e.g. 1280x800\n");
                return false;
            }
            o->width = static_cast<int>(w);
            o->height = static_cast<int>(h);
        } else {
            std::fprintf(stderr, "mmlab-desktop: unknown or incomplete option: %s\n%s", argv[i],
                         kUsage);
            return false;
        }
    }
    if (!o->screenshot.empty() && o->frames == 0) o->frames = 10;
    return true;
}
#endif

#ifdef __EMSCRIPTEN__
void frame_callback(void* loop) {
    static_cast<Loop*>(loop)->frame();
}
#endif

} // namespace
} // namespace web

// 5. main -----------------------------------------------------------------------

int main(int argc, char** argv) {
    using namespace web;
    mark("mmlab:main");
    Options options;
#ifndef __EMSCRIPTEN__
    if (!parse_options(argc, argv, &options)) return 2;
#else
    (void)argc;
    (void)argv;
#endif
    Window window = open_window(options);
    if (window.window == nullptr) {
        notify_failure("cannot open a WebGL 2 canvas (see the browser console)");
        return 1;
    }
    mark("mmlab:gl-context");

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // ui/ lays the panels out itself; nothing is saved
    // Every control reachable from the keyboard: Tab and the arrows move, Space
    // and Enter press, Escape leaves (ImGui's keyboard navigation; typing in
    // the console is the console's).
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui_ImplSDL2_InitForOpenGL(window.window, window.gl);
    ImGui_ImplOpenGL3_Init(window.glsl_version);
    mark("mmlab:imgui");

    // Owned for the program's life: in the browser main returns at once
    // (emscripten_set_main_loop) and the frames run afterwards.
    static mm::Lab lab; // boots the default machine
    mark("mmlab:boot");
    static GlPlatform platform;
    static std::unique_ptr<ui::App> app = std::make_unique<ui::App>(lab, &platform);
    mark("mmlab:lessons"); // App parses the lessons and opens their sessions
    shell().lab = &lab;
    shell().app = app.get();
    if (!options.commands.empty()) app->execute(options.commands);

    static Loop loop(window, options);
#ifdef __EMSCRIPTEN__
    // fps 0: the browser's requestAnimationFrame paces the frames.
    emscripten_set_main_loop_arg(frame_callback, &loop, 0, true);
    return 0;
#else
    while (!loop.done())
        loop.frame();
    // The app may free its textures: while the GL context is still there.
    shell().app = nullptr;
    app.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(window.gl);
    SDL_DestroyWindow(window.window);
    SDL_Quit();
    std::fflush(stdout);
    return loop.exit_code();
#endif
}
