using System.Text;
using Kindred.Voice.Audio;
using Whisper.net;

namespace Kindred.Voice.Recognition;

/// <summary>
/// Whisper through Whisper.net (whisper.cpp) with a ggml model the person supplies, e.g. <c>kindred model pull
/// whisper-base.en</c>: the recommended recogniser for quality. Much more accurate than pocketsphinx on natural
/// speech and accents, and slower (base.en: a few hundred milliseconds per utterance on a laptop CPU).
/// The model is loaded once; each utterance gets its own processor.
/// </summary>
public sealed class WhisperRecognizer : SpeechRecognizer
{
    private readonly WhisperFactory _factory;
    private readonly int _threads;

    /// <param name="modelPath">A ggml Whisper model file.</param>
    /// <param name="threads">Threads for decoding; 0 = one per core.</param>
    public WhisperRecognizer(string modelPath, int threads = 0)
        : base("whisper.net", Path.GetFileNameWithoutExtension(modelPath))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new VoiceEngineException(
                $"The Whisper model '{modelPath}' does not exist. Download one with: kindred model pull {VoiceModelCatalog.WhisperBaseEn.Name}");
        }

        if (!LooksLikeGgml(modelPath))
        {
            throw new VoiceEngineException($"'{modelPath}' is not a ggml Whisper model (its first bytes are wrong).");
        }

        try
        {
            _factory = WhisperFactory.FromPath(modelPath);
        }
        catch (Exception ex) when (ex is WhisperModelLoadException or DllNotFoundException)
        {
            throw new VoiceEngineException($"Whisper could not load '{modelPath}': {ex.Message}", ex);
        }

        _threads = threads > 0 ? threads : Environment.ProcessorCount;
    }

    protected override async Task<string> RecognizeAt16kAsync(PcmAudio audio, CancellationToken cancellationToken)
    {
        var samples = new float[audio.Samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = audio.Samples[i] / 32768f;
        }

        var processor = _factory.CreateBuilder().WithLanguage("en").WithThreads(_threads).WithNoContext().Build();
        await using (processor.ConfigureAwait(false))
        {
            var text = new StringBuilder();
            await foreach (var segment in processor.ProcessAsync(samples, cancellationToken).ConfigureAwait(false))
            {
                text.Append(segment.Text);
            }

            return text.ToString().Trim();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _factory.Dispose();
        }

        base.Dispose(disposing);
    }

    // whisper.cpp aborts on some malformed files; ggml model files start with the magic 0x67676d6c ("lmgg" on disk).
    private static bool LooksLikeGgml(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.Read(magic) == 4 && BitConverter.ToUInt32(magic) == 0x67676d6c;
    }
}
