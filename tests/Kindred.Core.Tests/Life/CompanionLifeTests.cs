using Kindred.Core.Life;
using Kindred.Core.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Kindred.Core.Tests.Life;

public sealed class CompanionLifeTests
{
    private const string Session = CompanionWorld.SessionId;

    [Fact]
    public async Task A_turn_the_model_has_no_seat_for_is_refused_before_anything_is_stored()
    {
        // Given a companion whose model has no seat free
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");
        var full = new SeatedChatClient(world.Chat, seatsFree: 0);
        await using var life = new CompanionLife(CompanionWorld.CompanionId, world.Services with { Chat = full });
        await life.WakeAsync(Session, CancellationToken.None);
        var before = await world.HistoryAsync();

        // When the person speaks
        await Assert.ThrowsAsync<ModelBusyException>(() => life.ReplyAsync("Are you there?", Session).CollectAsync());

        // Then nothing of the turn was kept: a retry stores it once
        Assert.Equal(before.Select(t => t.Id), (await world.HistoryAsync()).Select(t => t.Id));
        Assert.Equal(0, full.SeatsTaken);
    }

    [Fact]
    public async Task A_turn_takes_its_seat_before_it_is_stored_and_hands_it_to_the_model()
    {
        // Given a model that counts seats
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");
        var seated = new SeatedChatClient(world.Chat, seatsFree: 1);
        await using var life = new CompanionLife(CompanionWorld.CompanionId, world.Services with { Chat = seated });
        await life.WakeAsync(Session, CancellationToken.None);
        world.Chat.Says("Hello.");

        // When the person speaks
        await life.ReplyAsync("Hi", Session).CollectAsync();

        // Then the model was asked in the seat the turn took, and the seat was given back
        Assert.Same(seated.LastSeat, ModelSeat.Of(world.Chat.Requests[^1].Options));
        Assert.Equal(0, seated.SeatsTaken);
    }

    [Fact]
    public async Task Withdrawing_the_last_exchange_forgets_exactly_its_two_turns()
    {
        // Given two exchanges in one session, and one in another session after them
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");
        await using var life = new CompanionLife(CompanionWorld.CompanionId, world.Services);
        await life.WakeAsync(Session, CancellationToken.None);
        world.Chat.Says("First reply.").Says("Second reply.");
        await life.ReplyAsync("First", Session).CollectAsync();
        await life.ReplyAsync("Second", Session).CollectAsync();

        // When the last exchange is withdrawn, and again
        var forgotten = await life.WithdrawLastExchangeAsync(Session, CancellationToken.None);
        var again = await life.WithdrawLastExchangeAsync(Session, CancellationToken.None);

        // Then its two turns are gone and everything before stays
        Assert.Equal(2, forgotten);
        Assert.Equal(0, again);
        var texts = (await world.HistoryAsync()).Select(t => t.Text).ToList();
        Assert.Contains("First", texts);
        Assert.Contains("First reply.", texts);
        Assert.DoesNotContain("Second", texts);
        Assert.DoesNotContain("Second reply.", texts);
    }

    [Fact]
    public async Task Withdrawing_in_another_session_takes_nothing_back()
    {
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");
        await using var life = new CompanionLife(CompanionWorld.CompanionId, world.Services);
        await life.WakeAsync(Session, CancellationToken.None);
        world.Chat.Says("Reply.");
        await life.ReplyAsync("Hello", Session).CollectAsync();
        var count = (await world.HistoryAsync()).Count;

        Assert.Equal(0, await life.WithdrawLastExchangeAsync("another-session", CancellationToken.None));
        Assert.Equal(count, (await world.HistoryAsync()).Count);
    }

    [Fact]
    public async Task What_she_says_unprompted_is_remembered_as_her_turn()
    {
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");
        await using var life = new CompanionLife(CompanionWorld.CompanionId, world.Services);
        await life.WakeAsync(Session, CancellationToken.None);

        var said = await life.SayAsync("You asked me to remind you: call Amy.", "evening", CancellationToken.None);

        var last = (await world.HistoryAsync())[^1];
        Assert.Equal((said.Id, Speaker.Companion, "evening", "You asked me to remind you: call Amy."), (last.Id, last.Speaker, last.SessionId, last.Text));
    }

    [Fact]
    public async Task After_a_turn_she_learns_from_it_and_reports_the_pass()
    {
        // Given a life that learns
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");
        var learning = new CountingLearning();
        var events = new LifeEvents();
        var passes = new TaskCompletionSource<LearningPass>(TaskCreationOptions.RunContinuationsAsynchronously);
        events.LearningPassEnded += (_, pass) => passes.TrySetResult(pass);
        await using var life = new CompanionLife(CompanionWorld.CompanionId, world.Services with { Learning = learning, Events = events });
        await life.WakeAsync(Session, CancellationToken.None);
        world.Chat.Says("Lovely.");

        // When a turn ends
        await life.ReplyAsync("My sister Amy is visiting.", Session).CollectAsync();

        // Then a learning pass runs with this session as the open one
        var pass = await passes.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal((CompanionWorld.CompanionId, LearningOutcome.Learned), (pass.CompanionId, pass.Outcome));
        Assert.Equal(Session, learning.OpenSessions[0]);
    }

    [Fact]
    public async Task A_reply_puts_a_learning_pass_in_progress_off()
    {
        // Given a learning pass that runs until it is stopped, started by a turn
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");
        var learning = new LearningUntilStopped();
        await using var life = new CompanionLife(CompanionWorld.CompanionId, world.Services with { Learning = learning });
        await life.WakeAsync(Session, CancellationToken.None);
        world.Chat.Says("One.").Says("Two.");
        await life.ReplyAsync("First", Session).CollectAsync();
        await learning.Started.WaitAsync(TimeSpan.FromMinutes(1));

        // When the person speaks again
        await life.ReplyAsync("Second", Session).CollectAsync();

        // Then the pass was stopped for the reply (what it had not read stays past the mark for the next pass)
        await learning.Stopped.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_private_reply_runs_the_same_turn_and_keeps_nothing()
    {
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");
        await using var life = new CompanionLife(CompanionWorld.CompanionId, world.Services);
        await life.WakeAsync(Session, CancellationToken.None);
        var count = (await world.HistoryAsync()).Count;
        world.Chat.Says("Secret kept.").Says("Still here.");

        await life.ReplyPrivatelyAsync("My secret is Qz81", "p1").CollectAsync();
        await life.ReplyPrivatelyAsync("Do you remember it?", "p1").CollectAsync();

        // The second private turn saw the first in its prompt, and the store holds nothing of either
        Assert.Contains(world.Chat.Requests[^1].Messages, m => m.Text.Contains("Qz81", StringComparison.Ordinal));
        Assert.Equal(count, (await world.HistoryAsync()).Count);
    }

    /// <summary>A model that counts seats like an embedded one, around a scripted model.</summary>
    [Fact]
    public async Task A_life_recalls_through_the_memory_it_opens_and_disposes_it_when_it_ends()
    {
        // Given services that open a memory for each life
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");
        var opened = new List<OwnedRecall>();
        var services = world.Services with
        {
            OpenRecall = companionId =>
            {
                var recall = new OwnedRecall(world.Services.Recall, companionId);
                opened.Add(recall);
                return recall;
            },
        };

        // When a life takes a turn and ends
        var life = new CompanionLife(CompanionWorld.CompanionId, services);
        await life.WakeAsync(Session, CancellationToken.None);
        world.Chat.Says("Hello.");
        await life.ReplyAsync("Hi", Session).CollectAsync();
        var open = opened.Single();
        Assert.True(open.Recalled > 0);
        Assert.False(open.Disposed);
        await life.DisposeAsync();

        // Then it recalled through its own memory, which ended with it
        Assert.Equal(CompanionWorld.CompanionId, open.CompanionId);
        Assert.True(open.Disposed);
    }

    [Fact]
    public async Task A_host_searches_and_corrects_the_memory_the_life_holds()
    {
        // Given a life whose memory can be searched, with a stored exchange
        await using var world = await CompanionWorld.CreateAsync();
        var memory = new SearchableRecall(world.Services.Recall, world.Store);
        await using var life = await WokenAsync(world, world.Services with { OpenRecall = _ => memory });
        world.Chat.Says("Hello.");
        await life.ReplyAsync("Hi", Session).CollectAsync();
        var said = (await world.HistoryAsync())[^1];

        // When its host searches, forgets a turn and reloads after forgetting a person
        var found = await life.SearchMemoriesAsync("hello", 5, CancellationToken.None);
        var forgotten = await life.ForgetTurnAsync(said.Id, CancellationToken.None);
        var again = await life.ForgetTurnAsync(said.Id, CancellationToken.None);
        await life.ReloadMemoryAsync(CancellationToken.None);

        // Then each went to the life's own memory, and the turn is gone from the store
        Assert.Equal(["search hello", $"forget {said.Id}", $"forget {said.Id}", "reload"], memory.Calls);
        Assert.Single(found);
        Assert.True(forgotten);
        Assert.False(again);
        Assert.DoesNotContain(await world.HistoryAsync(), t => t.Id == said.Id);
    }

    [Fact]
    public async Task A_memory_that_keeps_no_index_cannot_be_searched_but_a_turn_is_still_forgotten()
    {
        // Given a life over recall that keeps no index
        await using var world = await CompanionWorld.CreateAsync();
        await using var life = await WokenAsync(world, world.Services);
        var greeting = (await world.HistoryAsync())[^1];

        // Then a search is refused, and forgetting goes to the store
        await Assert.ThrowsAsync<InvalidOperationException>(() => life.SearchMemoriesAsync("hello", 5, CancellationToken.None));
        Assert.True(await life.ForgetTurnAsync(greeting.Id, CancellationToken.None));
        await life.ReloadMemoryAsync(CancellationToken.None);
        Assert.DoesNotContain(await world.HistoryAsync(), t => t.Id == greeting.Id);
    }

    // A life over services, woken (she names herself Nova).
    private static async Task<CompanionLife> WokenAsync(CompanionWorld world, CompanionServices services)
    {
        world.Chat.Says("Nova");
        var life = new CompanionLife(CompanionWorld.CompanionId, services);
        await life.WakeAsync(Session, CancellationToken.None);
        return life;
    }

    private sealed class SearchableRecall(IRecall inner, ICompanionStore store) : ISearchableRecall
    {
        public List<string> Calls { get; } = [];

        public Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken) => inner.RecallAsync(request, cancellationToken);

        public Task RememberAsync(string companionId, IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken) =>
            inner.RememberAsync(companionId, turns, cancellationToken);

        public Task<IReadOnlyList<FoundMemory>> SearchAsync(string companionId, string query, int limit, DateTimeOffset now, CancellationToken cancellationToken)
        {
            Calls.Add($"search {query}");
            IReadOnlyList<FoundMemory> found = [new FoundMemory(new StoredTurn(1, companionId, "s", Speaker.Companion, "Hello.", now, TurnStatus.Complete), 1, "words")];
            return Task.FromResult(found);
        }

        public Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken)
        {
            Calls.Add($"forget {turnId}");
            return store.ForgetTurnAsync(companionId, turnId, cancellationToken);
        }

        public void Reload(string companionId) => Calls.Add("reload");
    }

    private sealed class OwnedRecall(IRecall inner, string companionId) : IRecall, IDisposable
    {
        public string CompanionId { get; } = companionId;

        public int Recalled { get; private set; }

        public bool Disposed { get; private set; }

        public Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
        {
            Recalled++;
            return inner.RecallAsync(request, cancellationToken);
        }

        public Task RememberAsync(string companionId, IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken) =>
            inner.RememberAsync(companionId, turns, cancellationToken);

        public void Dispose() => Disposed = true;
    }

    private sealed class SeatedChatClient(IChatClient inner, int seatsFree) : DelegatingChatClient(inner), IModelSeats
    {
        private readonly int _seats = seatsFree;
        private int _free = seatsFree;

        public int SeatsTaken => _seats - _free;

        public ModelSeat? LastSeat { get; private set; }

        public ModelSeat? TryTake()
        {
            if (_free == 0)
            {
                return null;
            }

            _free--;
            return LastSeat = new Seat(this);
        }

        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(IModelSeats) ? this : base.GetService(serviceType, serviceKey);

        private sealed class Seat(SeatedChatClient owner) : ModelSeat
        {
            protected override void Release() => owner._free++;
        }
    }

    private sealed class LearningUntilStopped : ILearning
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public Task Stopped => _stopped.Task;

        public async Task<int> LearnAsync(string companionId, string? openSessionId, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            }
            finally
            {
                _stopped.TrySetResult();
            }
        }
    }

    private sealed class CountingLearning : ILearning
    {
        public List<string?> OpenSessions { get; } = [];

        public Task<int> LearnAsync(string companionId, string? openSessionId, CancellationToken cancellationToken)
        {
            lock (OpenSessions)
            {
                OpenSessions.Add(openSessionId);
            }

            return Task.FromResult(1);
        }
    }
}
