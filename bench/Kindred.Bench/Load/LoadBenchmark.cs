using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kindred.Models.Local;
using Microsoft.Extensions.AI;

namespace Kindred.Bench.Load;

/// <summary>
/// N simulated people over the live WebSocket against <c>kindred serve</c> on 127.0.0.1, bounded in count and time.
/// Chatting: every person says its turns at once; reports sessions held, turns/s, time to first token, latency added
/// over a direct model call measured in the same run, memory per session. Idle: holds N connected sessions and asks
/// each its status at the end. With --kill the server is killed (SIGKILL) mid-run, restarted, and every turn that
/// was acknowledged is looked for, by content, in the history.
/// </summary>
internal static class LoadBenchmark
{
    private const int ConnectParallelism = 64;

    public static async Task<int> RunAsync(LoadOptions options)
    {
        // Setting up (people are created once and kept) has its own, generous bound; --minutes bounds the run itself.
        using var setupBound = new CancellationTokenSource(TimeSpan.FromHours(2));
        var cancellationToken = setupBound.Token;
        using var server = options.Url is null ? new ServerProcess(options) : null;
        await People.SeedAsync(options, cancellationToken);
        if (server is not null)
        {
            Console.WriteLine($"starting kindred serve on {server.Address} (data {options.DataDirectory})");
            await server.StartAsync(cancellationToken);
        }

        var address = options.Url ?? server!.Address;
        var people = await People.EnsureAsync(options, address, cancellationToken);
        if (options.Idle > 0)
        {
            using var idleBound = new CancellationTokenSource(TimeSpan.FromMinutes(options.Minutes));
            return await IdleAsync(options, address, server, people.Take(options.Idle).ToList(), idleBound.Token);
        }

        var direct = await DirectBaselineAsync(options, cancellationToken);
        var single = await SingleSessionAsync(address, people[0], cancellationToken);
        using var chatBound = new CancellationTokenSource(TimeSpan.FromMinutes(options.Minutes));
        return await ChatAsync(options, address, server, people.Take(options.People).ToList(), direct, single, chatBound.Token);
    }

    private static async Task<int> IdleAsync(LoadOptions options, Uri address, ServerProcess? server, List<Person> people, CancellationToken cancellationToken)
    {
        var before = server?.ResidentBytes() ?? 0;
        var (sessions, connectErrors, connectSeconds) = await ConnectAllAsync(address, people, cancellationToken);
        var after = server?.ResidentBytes() ?? 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {sessions.Count} sessions connected in {connectSeconds:F1} s; holding {options.HoldSeconds} s"));
        await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds), cancellationToken);

        var statusErrors = 0;
        await ForEachAsync(sessions, async session =>
        {
            try
            {
                if (await session.StatusAsync(cancellationToken) != "idle")
                {
                    Interlocked.Increment(ref statusErrors);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref statusErrors);
            }
        });
        var held = sessions.Count - statusErrors;
        await DisposeAllAsync(sessions);

        Console.WriteLine();
        Console.WriteLine("| idle sessions asked | held (answered status after the hold) | errors | server memory before → with all | per idle session |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {people.Count} | {held} | {connectErrors + statusErrors} | {Mib(before)} → {Mib(after)} MiB | {PerSession(after - before, sessions.Count)} |"));
        return connectErrors + statusErrors == 0 ? 0 : 1;
    }

    private static async Task<int> ChatAsync(
        LoadOptions options, Uri address, ServerProcess? server, List<Person> people, TurnTiming direct, TurnTiming single, CancellationToken cancellationToken)
    {
        var before = server?.ResidentBytes() ?? 0;
        var (sessions, connectErrors, connectSeconds) = await ConnectAllAsync(address, people, cancellationToken);
        var connected = server?.ResidentBytes() ?? 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {sessions.Count} sessions connected in {connectSeconds:F1} s; chatting"));

        var acked = new ConcurrentBag<(Person Person, AckedTurn Turn)>();
        var timings = new ConcurrentBag<TurnTiming>();
        var errors = 0;
        var cut = 0;
        var timedOut = 0;
        long peak = connected;
        var killAfter = options.Kill ? Math.Max(1, sessions.Count * options.Turns / 2) : int.MaxValue;
        var killed = false;
        using var sampler = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!sampler.IsCancellationRequested)
            {
                if (!killed)
                {
                    peak = Math.Max(peak, server?.ResidentBytes() ?? 0);
                }

                if (!killed && acked.Count >= killAfter && server is not null)
                {
                    killed = true;
                    server.Kill();
                    Console.WriteLine($"  SIGKILL sent to the server after {acked.Count} acknowledged turns");
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        await ForEachAsync(sessions, async session =>
        {
            try
            {
                for (var t = 0; t < options.Turns; t++)
                {
                    var text = string.Create(CultureInfo.InvariantCulture, $"{session.Person.Username} turn {t}: once upon a time there was a {Words[(t + session.Person.Username.Length) % Words.Length]}");
                    var (turn, timing) = await session.SayAsync(text, cancellationToken);
                    acked.Add((session.Person, turn));
                    timings.Add(timing);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (killed)
                {
                    Interlocked.Increment(ref cut);
                }
                else if (Interlocked.Increment(ref errors) <= 3)
                {
                    Console.Error.WriteLine($"  error: {ex.GetType().Name}: {ex.Message}");
                }
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref timedOut);
            }
        }, parallelism: sessions.Count);
        var seconds = clock.Elapsed.TotalSeconds;
        await sampler.CancelAsync();
        await sampling;
        var busyRetries = sessions.Sum(s => s.BusyRetries);
        errors += timedOut;
        if (timedOut > 0)
        {
            Console.Error.WriteLine($"  {timedOut} sessions had not finished when the {options.Minutes}-minute bound ran out");
        }

        await DisposeAllAsync(sessions);

        var ttft = timings.Select(t => t.FirstTokenMs).Order().ToList();
        var total = timings.Select(t => t.TotalMs).Order().ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"direct model call (same model, in this process, no server): first token {direct.FirstTokenMs:F1} ms, whole reply {direct.TotalMs:F1} ms (median of 5)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one session alone through the server: first token {single.FirstTokenMs:F1} ms, whole reply {single.TotalMs:F1} ms (median of 5); added over direct: {single.FirstTokenMs - direct.FirstTokenMs:F1} ms to first token, {single.TotalMs - direct.TotalMs:F1} ms per turn"));
        Console.WriteLine();
        Console.WriteLine("| sessions | held | turns acknowledged | errors | busy retries | turns/s | first token p50 / p99 (ms) | turn p50 / p99 (ms) | server memory idle → connected → peak | per session |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {people.Count} | {sessions.Count} | {acked.Count} | {errors + connectErrors} | {busyRetries} | {acked.Count / seconds:F1} | {Percentile(ttft, 0.5):F0} / {Percentile(ttft, 0.99):F0} | {Percentile(total, 0.5):F0} / {Percentile(total, 0.99):F0} | {Mib(before)} → {Mib(connected)} → {Mib(peak)} MiB | {PerSession(peak - before, sessions.Count)} |"));

        if (!options.Kill || server is null)
        {
            return errors + connectErrors == 0 ? 0 : 1;
        }

        Console.WriteLine($"  {cut} sessions were cut by the kill; restarting the server on the same data");
        await server.StartAsync(CancellationToken.None);
        var lost = await CountLostAsync(address, acked.ToList(), CancellationToken.None);
        Console.WriteLine();
        Console.WriteLine("| kill -9 run | acknowledged before the kill | found in the store after restart | lost |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {people.Count} sessions | {acked.Count} | {acked.Count - lost} | {lost} |"));
        return lost == 0 && errors == 0 ? 0 : 1;
    }

    private static readonly string[] Words = ["dog", "cat", "bird", "fish", "ball", "tree", "car", "box"];

    // Every acknowledged turn: the person's words stored as theirs, and the reply (as streamed) stored as complete.
    private static async Task<int> CountLostAsync(Uri address, List<(Person Person, AckedTurn Turn)> acked, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
        var lost = 0;
        foreach (var group in acked.GroupBy(a => a.Person))
        {
            var said = new HashSet<string>(StringComparer.Ordinal);
            var replies = new HashSet<string>(StringComparer.Ordinal);
            long after = 0;
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/companions/{group.Key.CompanionId}/history?after={after}&take=1000");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", group.Key.ApiKey);
                using var response = await http.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                var page = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                foreach (var turn in page.GetProperty("turns").EnumerateArray())
                {
                    var text = turn.GetProperty("text").GetString()!;
                    if (turn.GetProperty("speaker").GetString() == "person")
                    {
                        said.Add(text);
                    }
                    else if (turn.GetProperty("status").GetString() == "complete")
                    {
                        replies.Add(text);
                    }
                }

                if (page.GetProperty("next").ValueKind != JsonValueKind.Number)
                {
                    break;
                }

                after = page.GetProperty("next").GetInt64();
            }

            foreach (var (_, turn) in group)
            {
                var reply = turn.Reply.Trim();
                if (!said.Contains(turn.PersonText) || (reply.Length > 0 && !replies.Contains(reply)))
                {
                    lost++;
                }
            }
        }

        return lost;
    }

    private static async Task<(List<LiveSession> Sessions, int Errors, double Seconds)> ConnectAllAsync(Uri address, List<Person> people, CancellationToken cancellationToken)
    {
        var sessions = new ConcurrentBag<LiveSession>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await ForEachAsync(people, async person =>
        {
            var session = new LiveSession(person);
            try
            {
                await session.ConnectAsync(address, cancellationToken);
                sessions.Add(session);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await session.DisposeAsync();
                if (Interlocked.Increment(ref errors) <= 3)
                {
                    Console.Error.WriteLine($"  connect error: {ex.GetType().Name}: {ex.Message}");
                }
            }
        });
        return ([.. sessions], errors, clock.Elapsed.TotalSeconds);
    }

    private static async Task<TurnTiming> SingleSessionAsync(Uri address, Person person, CancellationToken cancellationToken)
    {
        await using var session = new LiveSession(person);
        await session.ConnectAsync(address, cancellationToken);
        var timings = new List<TurnTiming>();
        for (var i = 0; i < 6; i++)
        {
            var (_, timing) = await session.SayAsync($"warm-up {i}: once upon a time there was a dog", cancellationToken);
            if (i > 0)
            {
                timings.Add(timing);
            }
        }

        return Median(timings);
    }

    // The same model file and reply length, called directly in this process: what the server's plumbing adds to.
    private static async Task<TurnTiming> DirectBaselineAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        using var model = LocalModel.Load(new LocalModelOptions { ModelPath = options.ModelPath, MaxConcurrentSequences = 1, ContextLength = 512 });
        using var chat = model.AsChatClient();
        var chatOptions = new ChatOptions { MaxOutputTokens = options.ReplyTokens, Temperature = 0.8f, TopP = 0.95f };
        var timings = new List<TurnTiming>();
        for (var i = 0; i < 6; i++)
        {
            List<ChatMessage> messages = [new(ChatRole.System, "You are a warm companion."), new(ChatRole.User, $"warm-up {i}: once upon a time there was a dog")];
            var clock = Stopwatch.StartNew();
            double first = -1;
            await foreach (var update in chat.GetStreamingResponseAsync(messages, chatOptions, cancellationToken))
            {
                if (first < 0 && update.Text.Length > 0)
                {
                    first = clock.Elapsed.TotalMilliseconds;
                }
            }

            if (i > 0)
            {
                timings.Add(new TurnTiming(first, clock.Elapsed.TotalMilliseconds));
            }
        }

        return Median(timings);
    }

    private static TurnTiming Median(List<TurnTiming> timings) =>
        new(Percentile([.. timings.Select(t => t.FirstTokenMs).Order()], 0.5), Percentile([.. timings.Select(t => t.TotalMs).Order()], 0.5));

    private static async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> body, int parallelism = ConnectParallelism)
    {
        using var gate = new SemaphoreSlim(parallelism);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await body(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static async Task DisposeAllAsync(IEnumerable<LiveSession> sessions) =>
        await ForEachAsync(sessions, async s => await s.DisposeAsync());

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Mib(long bytes) => (bytes / 1_048_576.0).ToString("F0", CultureInfo.InvariantCulture);

    private static string PerSession(long bytes, int sessions) =>
        sessions == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / sessions:F0} KiB");
}
