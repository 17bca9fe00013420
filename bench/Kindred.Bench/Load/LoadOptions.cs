using System.Globalization;

namespace Kindred.Bench.Load;

/// <summary>What the load harness is asked to do: how many people, how many turns each, bounded in time.</summary>
/// <param name="People">Simulated people chatting at once, one account and one companion each.</param>
/// <param name="Turns">Turns each chatting person says, one after another.</param>
/// <param name="Idle">When above 0: hold this many idle connected sessions instead of chatting.</param>
/// <param name="HoldSeconds">How long idle sessions are held before each is asked its status.</param>
/// <param name="Minutes">The whole run's bound; whatever is unfinished by then is an error.</param>
/// <param name="Kill">Kill the server with SIGKILL mid-run, restart it, and check every acknowledged turn.</param>
/// <param name="ReplyTokens">The server's Companion.MaxReplyTokens for the run (short replies keep a run short).</param>
/// <param name="Sequences">The server's Model.MaxConcurrentSequences.</param>
/// <param name="Queue">The server's Model.MaxQueuedRequests.</param>
/// <param name="Url">Target this running server instead of starting one (people then sign up through the API).</param>
/// <param name="DataDirectory">The launched server's data folder, kept between runs so people are created once.</param>
internal sealed record LoadOptions(
    int People, int Turns, int Idle, int HoldSeconds, int Minutes, bool Kill, int ReplyTokens, int Sequences, int Queue,
    Uri? Url, string DataDirectory, string ModelPath, string? ServerDll, int Port)
{
    public static LoadOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }

        int Number(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        var model = Value("--model", "");
        var url = Value("--url", "");
        var server = Value("--server", "");
        var options = new LoadOptions(
            Number("--people", 100),
            Number("--turns", 2),
            Number("--idle", 0),
            Number("--hold", 10),
            Number("--minutes", 10),
            args.Contains("--kill"),
            Number("--reply-tokens", 24),
            Number("--sequences", 32),
            Number("--queue", 4096),
            url.Length > 0 ? new Uri(url) : null,
            Path.GetFullPath(Value("--data", Path.Combine(Path.GetTempPath(), "kindred-load"))),
            model.Length > 0 ? model : Kindred.Testing.SharedModels.Stories260K,
            server.Length > 0 ? server : null,
            Number("--port", 5180));
        if (options.People < 1 || options.Turns < 1 || options.Idle < 0 || options.Minutes < 1 || options.HoldSeconds < 0)
        {
            throw new ArgumentException("--people, --turns and --minutes must be 1 or more; --idle and --hold 0 or more.");
        }

        return options;
    }

    /// <summary>People the run needs accounts for.</summary>
    public int Accounts => Math.Max(People, Idle);
}
