using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kindred.Voice.Audio;

namespace Kindred.Voice.Synthesis;

/// <summary>
/// Festival with the HTS voice <c>cmu_us_slt_arctic_hts</c> (Debian's festvox-us-slt-hts): clearer and more natural
/// than flite, and slower. Festival takes a moment to start and load its voice, so one Festival process is kept
/// running and serves every sentence. It is reached over its standard input and output, not its TCP server mode:
/// that server evaluates any Scheme it is sent (which can run programs) and cannot be bound to loopback only.
/// </summary>
public sealed class FestivalSynthesizer : SpeechSynthesizer, IAsyncDisposable
{
    /// <summary>The default Festival voice.</summary>
    public const string SltHts = "cmu_us_slt_arctic_hts";

    private const string DoneMarker = "KINDRED_DONE";
    private readonly SemaphoreSlim _start = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _pending = new();
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("kindred-festival-").FullName;
    private Process? _process;
    private long _nextRequest;

    public FestivalSynthesizer(string voice = SltHts)
        : base("festival", voice)
    {
        if (!IsSchemeSymbol(voice))
        {
            throw new ArgumentException($"'{voice}' is not a Festival voice name.", nameof(voice));
        }
    }

    public override async Task<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!IsSchemeSymbol(voice))
        {
            throw new VoiceEngineException($"'{voice}' is not a Festival voice name.");
        }

        var process = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var id = Interlocked.Increment(ref _nextRequest);
        var path = Path.Combine(_workDirectory, id.ToString(CultureInfo.InvariantCulture) + ".wav");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        try
        {
            var command = new StringBuilder()
                // One expression: if the voice is unknown, nothing is spoken in the previous voice instead.
                .Append(CultureInfo.InvariantCulture, $"(begin (voice_{voice}) (utt.save.wave (utt.synth (Utterance Text \"{Escape(text)}\")) \"{path}\" 'riff))\n")
                // Festival's standard output is block-buffered when piped; its standard error is not.
                .Append(CultureInfo.InvariantCulture, $"(format stderr \"{DoneMarker} {id}\\n\")\n")
                .ToString();
            lock (process)
            {
                process.StandardInput.Write(command);
                process.StandardInput.Flush();
            }

            // A cancelled request is abandoned, not aborted: Festival finishes it and the reader discards its marker.
            await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!File.Exists(path))
            {
                throw new VoiceEngineException($"Festival could not speak this text with the voice '{voice}' (is the voice installed?).");
            }

            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return WavFile.Decode(bytes, new AudioLimits { MaxDuration = TimeSpan.FromHours(1), MaxSampleRate = 96_000 });
        }
        finally
        {
            _pending.TryRemove(id, out _);
            File.Delete(path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var process = _process;
        _process = null;
        if (process is not null)
        {
            try
            {
                process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        _start.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async Task<Process> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false } running)
        {
            return running;
        }

        await _start.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_process is { HasExited: false } started)
            {
                return started;
            }

            _process?.Dispose();
            var info = new ProcessStartInfo("festival", "--pipe")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardInputEncoding = new UTF8Encoding(false),
            };
            Process process;
            try
            {
                process = Process.Start(info) ?? throw new VoiceEngineException("Festival did not start.");
            }
            catch (Win32Exception ex)
            {
                throw new VoiceEngineException("Festival is not installed. On Debian or Ubuntu: sudo apt-get install festival festvox-us-slt-hts", ex);
            }

            _ = ReadMarkersAsync(process);
            _ = DrainAsync(process.StandardOutput);
            _process = process;
            return process;
        }
        finally
        {
            _start.Release();
        }
    }

    private async Task ReadMarkersAsync(Process process)
    {
        try
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith(DoneMarker + " ", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(DoneMarker.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    && _pending.TryGetValue(id, out var done))
                {
                    done.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }

        // Festival went away: fail whoever is still waiting; the next request starts a new one.
        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(new VoiceEngineException("Festival stopped unexpectedly."));
        }
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try
        {
            var buffer = new char[4096];
            while (await reader.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    // Inside a Scheme string only the backslash and the double quote are special; control characters become spaces.
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' or '"' => escaped.Append('\\').Append(c),
                _ when char.IsControl(c) => escaped.Append(' '),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    private static bool IsSchemeSymbol(string name) =>
        name.Length is > 0 and < 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
