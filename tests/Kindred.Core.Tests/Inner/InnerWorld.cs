using System.Text;
using Kindred.Core.Inner;
using Kindred.Core.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindred.Core.Tests.Inner;

/// <summary>A <see cref="CompanionWorld"/> with an inner life in a fixed time zone, and the scheduler that delivers for it.</summary>
internal sealed class InnerWorld : IAsyncDisposable
{
    public const string London = "Europe/London";

    private static readonly string[] FileSuffixes = ["", "-wal", "-shm", "-journal"];

    private InnerWorld(CompanionWorld world, bool appraiseWithModel)
    {
        World = world;
        Options = new InnerLifeOptions { TimeZoneId = London, AppraiseWithModel = appraiseWithModel };
    }

    public CompanionWorld World { get; }

    public InnerLifeOptions Options { get; }

    public InnerLife Inner => new(World.Store, World.Chat, World.Time, Options, NullLogger.Instance);

    public OutreachScheduler Scheduler => new(World.Store, World.Time, Options);

    public CompanionServices Services => World.Services with { Inner = Inner };

    public Reflector Reflector => new(World.Store, World.Store, World.Store, Inner, World.Chat, World.Time, Options);

    public static async Task<InnerWorld> CreateAsync(DateTimeOffset start, bool appraiseWithModel = false)
    {
        var world = await CompanionWorld.CreateAsync();
        world.Time.SetUtcNow(start);
        return new InnerWorld(world, appraiseWithModel);
    }

    /// <summary>Wakes a companion named Nova with the inner life attached.</summary>
    public async Task<Companion> WakeAsync()
    {
        World.Chat.Says("Nova");
        return (await Companion.WakeAsync(CompanionWorld.CompanionId, CompanionWorld.SessionId, Services, CancellationToken.None)).Companion;
    }

    /// <summary>The person says <paramref name="text"/>; the scripted model answers <paramref name="reply"/>.</summary>
    public async Task<string> SayAsync(Companion companion, string text, string reply = "I hear you.")
    {
        World.Chat.Says(reply);
        var said = new StringBuilder();
        await foreach (var chunk in companion.ReplyAsync(text, CompanionWorld.SessionId))
        {
            said.Append(chunk);
        }

        return said.ToString();
    }

    /// <summary>Each of the store's files (database, log) that contains <paramref name="text"/> as UTF-8 bytes.</summary>
    public IReadOnlyList<string> FilesContaining(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return [.. FileSuffixes
            .Select(suffix => World.DatabasePath + suffix)
            .Where(File.Exists)
            .Where(path =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(needle) >= 0;
            })];
    }

    public ValueTask DisposeAsync() => World.DisposeAsync();
}
