using System.Text;
using System.Threading.Channels;
using LLama;
using LLama.Native;
using LLama.Sampling;

namespace Kindred.Models.Local;

/// <summary>One conversation's generation inside the scheduler. Touched only by the decode thread once started.</summary>
internal sealed class Sequence(LLamaToken[] prompt, GenerationSettings settings, GenerationStats stats, CancellationToken cancellation)
{
    private StreamingTokenDecoder? _decoder;
    private StopSequenceFilter? _stops;

    public LLamaToken[] Prompt { get; } = prompt;

    public GenerationSettings Settings { get; } = settings;

    public GenerationStats Stats { get; } = stats;

    public CancellationToken Cancellation { get; } = cancellation;

    // Unbounded: the decode thread must never block on a slow reader; a reader falls behind by text, not tokens.
    public Channel<string> Output { get; } = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public LLamaSeqId Id { get; private set; }

    public DefaultSamplingPipeline? Sampler { get; private set; }

    /// <summary>Next position in the sequence's KV cache.</summary>
    public int Position { get; set; }

    public bool PromptDone { get; set; }

    public LLamaToken NextToken { get; private set; }

    /// <summary>Where this sequence's logits are in the current batch; -1 when it has none this step.</summary>
    public int LogitsIndex { get; set; } = -1;

    public void Start(LLamaSeqId id, LLamaWeights weights)
    {
        Id = id;
        var sampling = Settings.Sampling;
        Sampler = new DefaultSamplingPipeline
        {
            Temperature = sampling.Temperature,
            TopP = sampling.TopP,
            TopK = sampling.TopK,
            MinP = sampling.MinP,
            RepeatPenalty = sampling.RepeatPenalty,
            FrequencyPenalty = sampling.FrequencyPenalty,
            PresencePenalty = sampling.PresencePenalty,
            PreventEOS = sampling.PreventEndOfText,
            Seed = sampling.Seed ?? (uint)Random.Shared.Next(),
        };
        _decoder = new StreamingTokenDecoder(Encoding.UTF8, weights);
        _stops = new StopSequenceFilter(Settings.StopSequences);
    }

    /// <summary>Takes a sampled token: streams its text, and says whether generation is over.</summary>
    public GenerationFinish Accept(LLamaToken token, SafeLlamaModelHandle.Vocabulary vocab, int contextLength)
    {
        if (token.IsEndOfGeneration(vocab))
        {
            return GenerationFinish.Stop;
        }

        Stats.GeneratedTokens++;
        NextToken = token;
        _decoder!.Add(token);
        var text = _stops!.Push(_decoder.Read());
        if (text.Length > 0)
        {
            Output.Writer.TryWrite(text);
        }

        if (_stops.Stopped)
        {
            return GenerationFinish.Stop;
        }

        if (Stats.GeneratedTokens >= Settings.MaxTokens)
        {
            return GenerationFinish.Length;
        }

        // The next step writes NextToken at Position; there must be room for it.
        return Position >= contextLength ? GenerationFinish.ContextFull : GenerationFinish.None;
    }

    public void Finish(Exception? error)
    {
        if (error is null && _stops is not null)
        {
            var rest = _stops.Flush();
            if (rest.Length > 0)
            {
                Output.Writer.TryWrite(rest);
            }
        }

        Sampler?.Dispose();
        Output.Writer.TryComplete(error);
    }
}
