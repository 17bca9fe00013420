using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Kindred.Memory.Tests.Contract;

/// <summary>
/// A real, throwaway PostgreSQL server for the test run: initdb into a temp folder, pg_ctl start on 127.0.0.1 and a
/// free port (no Unix socket), and at the end pg_ctl stop and delete the folder. PostgreSQL refuses to run as root, so
/// under root (CI) its commands run as the postgres user through runuser. If PostgreSQL is not installed, starting
/// throws, and every test that needs it fails with that message: .ci/run installs it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Superuser = "postgres";
    private readonly Dictionary<string, Task<string>> _databases = new(StringComparer.Ordinal);
    private string _binDirectory = "";
    private string _dataDirectory = "";
    private Process? _watchdog;

    public int Port { get; private set; }

    /// <summary>Connection string of the server's superuser, to its maintenance database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public async Task InitializeAsync()
    {
        _binDirectory = FindBinDirectory(DefaultSearchPath());
        // Under root the postgres user must reach the folder, and $TMPDIR may be private to root.
        _dataDirectory = Path.Combine(Environment.IsPrivilegedProcess ? "/tmp" : Path.GetTempPath(), "kindred-pg-" + Guid.NewGuid().ToString("N"));

        // --no-sync and fsync=off: a throwaway cluster need not survive a power cut, and the shared machine is slow. The
        // store's own durability setting (synchronous_commit) is per session and is tested on this server: its
        // default is turned off here so a test can prove the store turns it back on.
        await RunAsync("initdb", ["-D", _dataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var options = $"-h 127.0.0.1 -p {Port.ToString(CultureInfo.InvariantCulture)} -k '' -c fsync=off -c synchronous_commit=off -c max_connections=200";
            try
            {
                await RunAsync("pg_ctl", ["start", "-D", _dataDirectory, "-w", "-t", "60", "-l", Path.Combine(_dataDirectory, "server.log"), "-o", options]);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between choosing and binding it.
            }
        }

        _watchdog = StartWatchdog();
    }

    public async Task DisposeAsync()
    {
        if (_dataDirectory.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            await RunAsync("pg_ctl", ["stop", "-D", _dataDirectory, "-m", "fast", "-w"]);
        }

        if (_watchdog is { HasExited: false })
        {
            _watchdog.Kill(entireProcessTree: true);
        }

        _watchdog?.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>A fresh, empty database, made once per <paramref name="owner"/> (a test class) and kept for the run.</summary>
    public Task<string> DatabaseForAsync(Type owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        lock (_databases)
        {
            var name = "t_" + owner.Name.ToLowerInvariant();
            if (!_databases.TryGetValue(name, out var created))
            {
                created = CreateDatabaseAsync(name);
                _databases[name] = created;
            }

            return created;
        }
    }

    /// <summary>A new empty database, and its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\";", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,

        // Well under max_connections, even with every test class's pool open at once.
        MaxPoolSize = 20,
    }.ToString();

    /// <summary>Where PostgreSQL's server programs are looked for: $KINDRED_PG_BIN if set, else Debian's folders (newest first), then $PATH.</summary>
    internal static IEnumerable<string> DefaultSearchPath()
    {
        // When set, it is the only place looked: a wrong setting should fail, not quietly use another PostgreSQL.
        if (Environment.GetEnvironmentVariable("KINDRED_PG_BIN") is { Length: > 0 } configured)
        {
            yield return configured;
            yield break;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            foreach (var version in Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            {
                yield return Path.Combine(version, "bin");
            }
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return folder;
        }
    }

    /// <summary>The first folder that has both initdb and pg_ctl.</summary>
    /// <exception cref="InvalidOperationException">None has: PostgreSQL is not installed.</exception>
    internal static string FindBinDirectory(IEnumerable<string> searchPath) =>
        searchPath.FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")))
        ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: the PostgreSQL store tests need its server programs (initdb, pg_ctl), looked for in " +
            "$KINDRED_PG_BIN if set, else /usr/lib/postgresql/*/bin and $PATH. Install it with 'apt-get install postgresql-15' " +
            "(.ci/run does this), or set KINDRED_PG_BIN to the folder that holds them.");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // PostgreSQL's programs refuse to run as root; as root they run as the postgres user the Debian package creates.
    private ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var path = Path.Combine(_binDirectory, program);
        var start = new ProcessStartInfo(Environment.IsPrivilegedProcess ? "runuser" : path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Environment.IsPrivilegedProcess)
        {
            foreach (var argument in new[] { "-u", Superuser, "--", path })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private async Task RunAsync(string program, IEnumerable<string> arguments)
    {
        using var process = Process.Start(StartInfo(program, arguments))
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_dataDirectory, "server.log");
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
            throw new InvalidOperationException(
                $"{program} failed (exit {process.ExitCode}): {await output}{await error}{serverLog}" +
                (Environment.IsPrivilegedProcess ? " (run as the 'postgres' user through runuser, because this is root)" : ""));
        }
    }

    // If the test process dies without disposing this fixture (killed, crashed), nothing else would stop the server:
    // this shell outlives it, sees it gone, and stops and deletes the cluster. Killed by DisposeAsync otherwise.
    private Process StartWatchdog()
    {
        var stop = StartInfo("pg_ctl", ["stop", "-D", _dataDirectory, "-m", "immediate"]);
        var stopCommand = string.Join(' ', new[] { stop.FileName }.Concat(stop.ArgumentList).Select(Quote));
        var script = $"while [ -d /proc/{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)} ]; do sleep 1; done; " +
            $"{stopCommand} >/dev/null 2>&1; rm -rf {Quote(_dataDirectory)}";
        var start = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the PostgreSQL watchdog.");
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>Test classes in this collection share one PostgreSQL server, started once for the run.</summary>
[CollectionDefinition(Name)]
public sealed class UsesPostgres : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
