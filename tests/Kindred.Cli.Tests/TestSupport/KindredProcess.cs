using System.Diagnostics;
using System.Text;

namespace Kindred.Cli.Tests.TestSupport;

/// <summary>The real kindred command run as a child process, with its output watched as it arrives.</summary>
internal sealed class KindredProcess : IDisposable
{
    // A safety net so a broken build cannot hang CI; no test asserts on time.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private Task _pumps = Task.CompletedTask;

    private KindredProcess(Process process)
    {
        _process = process;
    }

    public int ExitCode => _process.ExitCode;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public static KindredProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kindred.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Settings must come from the test alone, not from the machine running it.
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("KINDRED_", StringComparison.Ordinal)))
        {
            start.Environment.Remove(key);
        }

        var process = Process.Start(start)!;
        var kindred = new KindredProcess(process);
        kindred._pumps = Task.WhenAll(
            kindred.PumpAsync(process.StandardOutput, kindred._stdout),
            kindred.PumpAsync(process.StandardError, kindred._stderr));
        return kindred;
    }

    /// <summary>Runs to the end with <paramref name="input"/> as standard input.</summary>
    public static async Task<KindredProcess> RunAsync(string input, params string[] args)
    {
        var kindred = Start(args);
        try
        {
            await kindred._process.StandardInput.WriteAsync(input);
            kindred._process.StandardInput.Close();
            await kindred.WaitForExitAsync();
            return kindred;
        }
        catch
        {
            // A run that never ends must not outlive its test (and slow every test after it).
            kindred.Dispose();
            throw;
        }
    }

    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Completes once standard output satisfies <paramref name="condition"/>.</summary>
    public Task WaitForOutputAsync(Func<string, bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_stdout.ToString()))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((condition, done));
        }

        return done.Task.WaitAsync(Patience);
    }

    public async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);

        // The process can end before its last output has been read.
        await _pumps.WaitAsync(timeout.Token);
    }

    /// <summary>SIGKILL: no chance to flush, close or clean up.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync();
    }

    /// <summary>SIGINT, as Ctrl+C sends it.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_gate)
            {
                into.Append(buffer, 0, read);
                var text = _stdout.ToString();
                foreach (var waiter in _waiters.Where(w => w.Condition(text)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        }
    }
}
