using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Kindred.Voice.Audio;

namespace Kindred.Voice.Synthesis;

/// <summary>
/// espeak-ng, run as a child process per request because it is GPL-licensed and must not be linked into Kindred.
/// Clear and fast, robotic; speaks many languages (voice ids such as <c>en-us</c>, <c>en-gb</c>, <c>de</c>).
/// </summary>
public sealed class EspeakSynthesizer : SpeechSynthesizer
{
    public EspeakSynthesizer(string voice = "en-us")
        : base("espeak-ng", voice)
    {
        if (!IsVoiceId(voice))
        {
            throw new ArgumentException($"'{voice}' is not an espeak-ng voice id.", nameof(voice));
        }
    }

    public override async Task<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!IsVoiceId(voice))
        {
            throw new VoiceEngineException($"'{voice}' is not an espeak-ng voice id.");
        }

        var info = new ProcessStartInfo("espeak-ng")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        // The text goes through standard input, never the command line: it cannot be taken for an option.
        foreach (var argument in new[] { "-v", voice, "--stdout" })
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new VoiceEngineException("espeak-ng did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new VoiceEngineException("espeak-ng is not installed. On Debian or Ubuntu: sudo apt-get install espeak-ng", ex);
        }

        using (process)
        {
            try
            {
                var errors = process.StandardError.ReadToEndAsync(cancellationToken);
                using var output = new MemoryStream();
                var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
                await process.StandardInput.WriteAsync(text.ReplaceLineEndings(" ").AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
                await copy.ConfigureAwait(false);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                var stderr = await errors.ConfigureAwait(false);
                if (process.ExitCode != 0 || output.Length == 0)
                {
                    throw new VoiceEngineException($"espeak-ng failed (exit code {process.ExitCode}): {stderr.ReplaceLineEndings(" ").Trim()}");
                }

                return WavFile.Decode(output.GetBuffer().AsSpan(0, (int)output.Length), new AudioLimits { MaxDuration = TimeSpan.FromHours(1), MaxSampleRate = 96_000 });
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
    }

    private static bool IsVoiceId(string voice) =>
        voice.Length is > 0 and < 64 && char.IsAsciiLetter(voice[0]) && voice.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or '/');
}
