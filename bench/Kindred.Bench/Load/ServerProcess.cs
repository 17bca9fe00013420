using System.Diagnostics;
using System.Globalization;

namespace Kindred.Bench.Load;

/// <summary>
/// A <c>kindred serve</c> started by the harness as a child process, with its file limit raised for thousands of
/// sockets. It can be killed with SIGKILL (no chance to flush anything) and started again on the same data folder.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly LoadOptions _options;
    private readonly string _dll;
    private Process? _process;

    public ServerProcess(LoadOptions options)
    {
        _options = options;
        _dll = options.ServerDll ?? FindServerDll();
        Address = new Uri($"http://127.0.0.1:{options.Port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public Uri Address { get; }

    public int ProcessId => _process?.Id ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.DataDirectory);
        var port = _options.Port;

        // The soft file limit goes up to the hard one: every held session is a socket.
        var command = string.Create(CultureInfo.InvariantCulture,
            $"ulimit -n $(ulimit -Hn); exec dotnet \"{_dll}\" serve --port {port} --silo-port {port + 1} --gateway-port {port + 2}");
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        var environment = start.Environment;
        environment["KINDRED_DATA_DIR"] = _options.DataDirectory;
        environment["KINDRED_DOWNLOADDEFAULTMODEL"] = "false";
        environment["KINDRED_MODEL__MODELPATH"] = _options.ModelPath;
        environment["KINDRED_MODEL__MAXCONCURRENTSEQUENCES"] = _options.Sequences.ToString(CultureInfo.InvariantCulture);
        environment["KINDRED_MODEL__MAXQUEUEDREQUESTS"] = _options.Queue.ToString(CultureInfo.InvariantCulture);
        environment["KINDRED_MODEL__CONTEXTLENGTH"] = "512";
        environment["KINDRED_COMPANION__MAXREPLYTOKENS"] = _options.ReplyTokens.ToString(CultureInfo.InvariantCulture);

        // Every simulated person comes from 127.0.0.1; the per-address sign-in limit is for password guessing.
        environment["KINDRED_SERVER__SIGNINSPERMINUTE"] = "100000";
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        _process.OutputDataReceived += (_, _) => { };
        var failing = false;
        _process.ErrorDataReceived += (_, e) =>
        {
            // Errors only, with their message line (ids, counts and types; the server never logs what people say).
            if (e.Data is not { } line)
            {
                return;
            }

            failing = line.StartsWith("fail", StringComparison.Ordinal) || line.StartsWith("crit", StringComparison.Ordinal) || (failing && line.StartsWith(' '));
            if (failing)
            {
                Console.Error.WriteLine($"  server: {line}");
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitReadyAsync(cancellationToken);
    }

    /// <summary>SIGKILL: the process gets no chance to flush or finish anything.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: false);
        _process?.WaitForExit();
    }

    /// <summary>Resident memory of the server now, in bytes (Linux /proc).</summary>
    public long ResidentBytes()
    {
        if (_process is null)
        {
            return 0;
        }

        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} while starting.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException("The server was not ready within 2 minutes.");
    }

    private static string FindServerDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(dir.FullName, "src", "Kindred.Cli", "bin", configuration, "net10.0", "kindred.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("Build the server first (dotnet build -c Release src/Kindred.Cli), or name it with --server PATH/kindred.dll.");
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
    }
}
