using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Kindred.Testing;

namespace Kindred.Web.Tests.TestSupport;

/// <summary>
/// The real <c>kindred serve</c> as a child process, exactly as a person starts it: stories260K, its own free ports,
/// its own temporary data folder (removed at the end).
/// </summary>
internal sealed partial class KindredServe : IAsyncDisposable
{
    // A safety net so a broken build cannot hang CI; no test asserts on time.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private KindredServe(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string DataDirectory { get; }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<KindredServe> StartAsync()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("kindred-web-test-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "kindred.dll"), "serve",
            "--model", SharedModels.Stories260K,
            "--data-dir", dataDirectory,
            "--port", "0",
            "--silo-port", FreePort(), "--gateway-port", FreePort(),
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Settings come from the test alone, not from the machine running it.
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("KINDRED_", StringComparison.Ordinal)))
        {
            start.Environment.Remove(key);
        }

        start.Environment["KINDRED_COMPANION__MAXREPLYTOKENS"] = "48";   // short replies: less to speak
        start.Environment["KINDRED_MODEL__THREADS"] = "1";
        start.Environment["KINDRED_SERVER__SIGNINSPERMINUTE"] = "1000";
        start.Environment["KINDRED_SERVER__REQUESTSPERMINUTE"] = "10000";

        var serve = new KindredServe(Process.Start(start)!, dataDirectory);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        serve._process.OutputDataReceived += (_, line) => serve.Record(line.Data, listening);
        serve._process.ErrorDataReceived += (_, line) => serve.Record(line.Data, null);
        serve._process.BeginOutputReadLine();
        serve._process.BeginErrorReadLine();
        try
        {
            var exited = serve._process.WaitForExitAsync();
            var first = await Task.WhenAny(listening.Task, exited).WaitAsync(Patience);
            if (first == exited)
            {
                throw new InvalidOperationException($"kindred serve exited with {serve._process.ExitCode}:\n{serve.Output}");
            }

            serve.BaseAddress = await listening.Task;
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Ctrl+C first, as a person stops it; then the hard way.
            using (var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning; nothing of value in it.
        }
    }

    private void Record(string? line, TaskCompletionSource<Uri>? listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }

        if (listening is not null && ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Value));
        }
    }

    // Orleans' listener sets ReuseAddress, so two silos on one port would clash silently: every host gets its own.
    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/?")]
    private static partial Regex ListeningLine();
}
