using System.ComponentModel;
using Kindred.Voice;
using Kindred.Voice.Audio;
using Kindred.Voice.Recognition;
using Kindred.Voice.Synthesis;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary><c>kindred say "text" -o out.wav [--voice flite|festival|espeak]</c>: speaks text into a WAV file.</summary>
public sealed class SayCommand(IAnsiConsole console) : AsyncCommand<SayCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<TEXT>")]
        [Description("What to say.")]
        public string Text { get; init; } = "";

        [CommandOption("-o|--output <FILE>")]
        [Description("The WAV file to write.")]
        public string? Output { get; init; }

        [CommandOption("--voice <ENGINE>")]
        [Description("flite (default; in-process, fast), festival (HTS voice, clearer, slower) or espeak (espeak-ng).")]
        public string Voice { get; init; } = "flite";

        [CommandOption("--speaker <ID>")]
        [Description("The engine's own voice: flite slt|rms|awb|kal16, festival cmu_us_slt_arctic_hts, espeak en-us|en-gb|... (default: the engine's default).")]
        public string? Speaker { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Text) ? ValidationResult.Error("Give the text to say.")
            : string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("Give the file to write with -o FILE.wav.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var voice = settings.Voice.Trim().ToLowerInvariant() switch
        {
            "flite" => (SpeechSynthesizer)new FliteSynthesizer(settings.Speaker ?? "slt"),
            "festival" => new FestivalSynthesizer(settings.Speaker ?? FestivalSynthesizer.SltHts),
            "espeak" or "espeak-ng" => new EspeakSynthesizer(settings.Speaker ?? "en-us"),
            _ => throw new ArgumentException($"There is no voice engine called '{settings.Voice}'. Known: flite, festival, espeak."),
        };
        try
        {
            var audio = await voice.SynthesizeAsync(settings.Text, voice.DefaultVoice, cancellationToken);
            var path = Path.GetFullPath(settings.Output!);
            await File.WriteAllBytesAsync(path, audio.ToWav(), cancellationToken);
            console.MarkupLine($"[grey]Wrote {audio.Duration.TotalSeconds:0.0} s of speech ({audio.SampleRate} Hz) to {path.EscapeMarkup()}[/]");
            return 0;
        }
        finally
        {
            if (voice is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                voice.Dispose();
            }
        }
    }
}

/// <summary><c>kindred listen in.wav [--engine pocketsphinx|whisper]</c>: prints the words heard in a WAV file.</summary>
public sealed class ListenCommand : AsyncCommand<ListenCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("A WAV file: 16-bit PCM or 32-bit float, mono or stereo, 8–48 kHz, at most 60 s.")]
        public string File { get; init; } = "";

        [CommandOption("--engine <ENGINE>")]
        [Description("pocketsphinx (default; in-process, small) or whisper (recommended for accuracy; needs a model).")]
        public string Engine { get; init; } = "pocketsphinx";

        [CommandOption("--model <PATH>")]
        [Description("For whisper: a ggml model file (default: whisper-base.en in the models folder; get it with 'kindred model pull whisper-base.en').")]
        public string? Model { get; init; }

        [CommandOption("--grammar <FILE>")]
        [Description("For pocketsphinx: a JSGF grammar limiting what can be heard.")]
        public string? Grammar { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(settings.File))
        {
            throw new ArgumentException($"The audio file '{settings.File}' does not exist.");
        }

        using var ears = CreateRecognizer(settings);
        await using var audio = System.IO.File.OpenRead(settings.File);
        var response = await ears.GetTextAsync(audio, cancellationToken: cancellationToken);
        // Plain output, for scripts.
        Console.Out.WriteLine(response.Text);
        return 0;
    }

    private static SpeechRecognizer CreateRecognizer(Settings settings)
    {
        switch (settings.Engine.Trim().ToLowerInvariant())
        {
            case "pocketsphinx":
                var grammar = settings.Grammar is null ? null
                    : System.IO.File.Exists(settings.Grammar) ? System.IO.File.ReadAllText(settings.Grammar)
                    : throw new ArgumentException($"The grammar file '{settings.Grammar}' does not exist.");
                return new PocketSphinxRecognizer(grammar);
            case "whisper":
                var (_, dataDirectory) = settings.Resolve();
                var models = CompanionRuntime.ModelsDirectory(dataDirectory);
                var model = settings.Model is null || VoiceModelCatalog.Find(settings.Model) is not null
                    ? Path.Combine(models, (VoiceModelCatalog.Find(settings.Model ?? "") ?? VoiceModelCatalog.WhisperBaseEn).FileName)
                    : settings.Model;
                return new WhisperRecognizer(model);
            default:
                throw new ArgumentException($"There is no recognition engine called '{settings.Engine}'. Known: pocketsphinx, whisper.");
        }
    }
}
