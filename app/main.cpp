// consisti2v-studio: the desktop app. Options: --model DIR, --image FILE; a file argument (a project, a picture or
// an exported clip) opens as if dropped on the window.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSettings>
#include <QUndoStack>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "app/app_setup.h"
#include "engine/env_check.h"
#include "app/edit_history.h"
#include "app/main_window.h"

int main(int argc, char** argv) {
  // --version before QApplication: works without a display (package checks, scripts).
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
      std::printf("ConsistI2V Studio %s\n", CONSISTI2V_VERSION);
      return 0;
    }
  {
    // Without a display Qt aborts (SIGABRT) with a line about the xcb plugin: the help is printed anyway (off
    // screen), and a start says plainly what is missing.
    const auto set = [](const char* name) { return std::getenv(name) && *std::getenv(name); };
    bool qtChoosesDisplay = false;  // Qt's own -platform NAME / -display NAME
    for (int i = 1; i < argc; ++i)
      qtChoosesDisplay = qtChoosesDisplay || std::strcmp(argv[i], "-platform") == 0 ||
                         std::strcmp(argv[i], "-display") == 0;
    if (!set("DISPLAY") && !set("WAYLAND_DISPLAY") && !set("QT_QPA_PLATFORM") && !qtChoosesDisplay) {
      bool help = false;
      for (int i = 1; i < argc; ++i)
        help = help || std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0 ||
               std::strcmp(argv[i], "--help-all") == 0;
      if (!help) {
        std::fprintf(stderr,
                     "consisti2v-studio: there is no display to show the studio on (DISPLAY and WAYLAND_DISPLAY are "
                     "unset): start it from a desktop session. The command line needs none: consisti2v --help\n");
        return 1;
      }
      setenv("QT_QPA_PLATFORM", "offscreen", 1);
    }
  }
  for (const auto& w : ci2v::environment_warnings()) std::fprintf(stderr, "consisti2v-studio: warning: %s\n", w.c_str());
  studio::prepareEnvironment();  // before QApplication: media backend, high-DPI policy
  QApplication app(argc, argv);
  studio::setApplicationInfo();
  {
    // The interface language (Help > Language, or CONSISTI2V_LANG=en|ko), before any translated text is made.
    const QSettings settings;
    studio::installTranslations(app, studio::languageSetting(settings));
  }

  QCommandLineParser cli;
  cli.setApplicationDescription(QApplication::translate("main", "Animate a still picture with ConsistI2V."));
  cli.addHelpOption();
  cli.addVersionOption();
  QCommandLineOption model(QStringLiteral("model"), QApplication::translate("main", "Model folder to use."),
                           QStringLiteral("dir"));
  QCommandLineOption image(QStringLiteral("image"), QApplication::translate("main", "First frame to open."),
                           QStringLiteral("file"));
  cli.addOption(model);
  cli.addOption(image);
  cli.addPositionalArgument(
      QStringLiteral("file"),
      QApplication::translate("main", "A project (.ci2v) to open, or a picture to animate, or a clip exported by the "
                                      "studio to take its settings from (optional)."));
  cli.process(app);

  studio::MainWindow w;
  if (cli.isSet(model)) w.chooseModel(QDir(cli.value(model)).absolutePath());
  w.show();  // first: what is opened below may ask or report in a window-modal box
  if (cli.isSet(image)) w.loadFirstFrame(cli.value(image));
  // As if dropped on the window: the desktop file hands over projects as well as pictures (Exec=… %f).
  else if (!cli.positionalArguments().isEmpty()) w.openDroppedFile(QDir(cli.positionalArguments().first()).absolutePath());
  // the picture the studio was started with is where the work starts, not an edit to take back
  if (cli.isSet(image) || !cli.positionalArguments().isEmpty()) w.editHistory()->stack()->clear();
  return app.exec();
}
