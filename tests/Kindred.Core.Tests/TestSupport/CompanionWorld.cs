using Kindred.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kindred.Core.Tests.TestSupport;

/// <summary>
/// Everything a companion needs, real where it can be: a SQLite file in a fresh temp folder (deleted at the end),
/// a fake clock, a scripted model and a word-counting tokenizer.
/// </summary>
internal sealed class CompanionWorld : IAsyncDisposable
{
    public const string CompanionId = "companion-1";
    public const string SessionId = "session-1";

    private CompanionWorld(string folder)
    {
        Folder = folder;
        DatabasePath = Path.Combine(folder, "kindred.db");
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 20, 0, 0, TimeSpan.Zero));

    public ScriptedChatClient Chat { get; } = new();

    public FakeTokenCounter Tokens { get; } = new();

    public CompanionOptions Options { get; } = new();

    public SqliteCompanionStore Store { get; private set; } = null!;

    public CompanionServices Services =>
        new(Store, Chat, Tokens, new RecentTurnsRecall(Store), Time, Options, NullLogger.Instance);

    public static async Task<CompanionWorld> CreateAsync()
    {
        var world = new CompanionWorld(Path.Combine(Path.GetTempPath(), "kindred-core-tests", Guid.NewGuid().ToString("N")));
        world.Store = await SqliteCompanionStore.OpenAsync(world.DatabasePath, world.Time, CancellationToken.None);
        return world;
    }

    /// <summary>Closes the store and opens the same file again, as a restarted process would.</summary>
    public async Task RestartAsync()
    {
        await Store.DisposeAsync();
        Store = await SqliteCompanionStore.OpenAsync(DatabasePath, Time, CancellationToken.None);
    }

    public Task<Awakening> WakeAsync(string companionId = CompanionId, CancellationToken cancellationToken = default) =>
        Companion.WakeAsync(companionId, SessionId, Services, cancellationToken);

    /// <summary>Wakes a companion whose model proposes <paramref name="name"/>, and returns it.</summary>
    public async Task<Companion> WakeNamedAsync(string name = "Nova", string companionId = CompanionId)
    {
        Chat.Says(name);
        return (await WakeAsync(companionId)).Companion;
    }

    public Task<IReadOnlyList<StoredTurn>> HistoryAsync(string companionId = CompanionId) =>
        Store.GetHistoryAsync(companionId, afterId: 0, take: 1_000, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
