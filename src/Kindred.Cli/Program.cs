using Kindred.Cli;
using Kindred.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

// Piped output (scripts, tests) must not be wrapped at 80 columns in the middle of a sentence.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 1000;
}

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("kindred");
    config.PropagateExceptions();
    config.UseStrictParsing();
    config.AddCommand<ChatCommand>("chat").WithDescription("Talk with your companion.");
    config.AddCommand<HistoryCommand>("history").WithDescription("Everything you and your companion have said.");
    config.AddBranch("memory", memory =>
    {
        memory.SetDescription("See and control what your companion remembers.");
        memory.AddCommand<MemoryListCommand>("list").WithDescription("The latest turns, with their numbers.");
        memory.AddCommand<MemoryShowCommand>("show").WithDescription("One turn in full, with the turns around it.");
        memory.AddCommand<MemorySearchCommand>("search").WithDescription("What your companion would recall for a question, and why.");
        memory.AddCommand<MemoryForgetCommand>("forget").WithDescription("Forget a turn, a fact (--fact) or a whole person (--person) for good.");
        memory.AddCommand<MemoryFactsCommand>("facts").WithDescription("Facts about you and the people in your life, session summaries and reflections.");
        memory.AddCommand<MemoryEditCommand>("edit").WithDescription("Correct a fact: your correction replaces it.");
        memory.AddCommand<MemoryExportCommand>("export").WithDescription("Everything your companion knows, as one portable JSON file.");
        memory.AddCommand<MemoryImportCommand>("import").WithDescription("Bring back a companion from an export.");
    });
    config.AddCommand<ServeCommand>("serve").WithDescription("Run the server: accounts, many companions, WebSocket and OpenAI-compatible APIs.");
    config.AddBranch("persona", persona =>
    {
        persona.SetDescription("Who your companion is becoming, and how she has changed.");
        persona.AddCommand<PersonaShowCommand>("show").WithDescription("Her traits, interests and how she sees herself now.");
        persona.AddCommand<PersonaHistoryCommand>("history").WithDescription("Every change in her, with its reason.");
        persona.AddCommand<PersonaRollbackCommand>("rollback").WithDescription("Undo one change.");
    });
    config.AddBranch("reminders", reminders =>
    {
        reminders.SetDescription("What your companion will remind you of or ask about, and when she may reach out.");
        reminders.SetDefaultCommand<RemindersListCommand>();
        reminders.AddCommand<RemindersListCommand>("list").WithDescription("What is scheduled (--all: delivered too).");
        reminders.AddCommand<RemindersCancelCommand>("cancel").WithDescription("Call one off.");
        reminders.AddCommand<RemindersSettingsCommand>("settings").WithDescription("Your time zone, quiet hours and daily limit.");
    });
    config.AddCommand<MoodCommand>("mood").WithDescription("How you have seemed, day by day.");
    config.AddCommand<ReflectionsCommand>("reflections").WithDescription("What your companion made of each day.");
    config.AddCommand<OffCommand>("off").WithDescription("Switch your companion off: nothing is heard, kept or sent.");
    config.AddCommand<OnCommand>("on").WithDescription("Switch your companion back on.");
    config.AddBranch("eval", evaluation => { evaluation.SetDescription("Measure how well memory recalls."); evaluation.AddCommand<EvalLocomoCommand>("locomo").WithDescription("Recall@k and search latency of memory on a LoCoMo file."); });
    config.AddBranch("model", model =>
    {
        model.SetDescription("Get and list language models.");
        model.AddCommand<ModelListCommand>("list").WithDescription("Models in the catalog and on disk.");
        model.AddCommand<ModelPullCommand>("pull").WithDescription("Download a model (resumes; verifies its checksum).");
        model.AddCommand<ModelProbeCommand>("probe").IsHidden();
    });
    config.AddCommand<SayCommand>("say").WithDescription("Speak text into a WAV file (flite, festival or espeak).");
    config.AddCommand<ListenCommand>("listen").WithDescription("Print the words heard in a WAV file (pocketsphinx or whisper).");
});

return await CliErrors.RunAsync(() => app.RunAsync(Kindred.Cli.Eval.EvalArguments.Normalize(args)));
