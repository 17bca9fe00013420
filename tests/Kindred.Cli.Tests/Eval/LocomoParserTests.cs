using Kindred.Cli.Eval;

namespace Kindred.Cli.Tests.Eval;

public sealed class LocomoParserTests
{
    private static readonly DateTimeOffset FirstSession = new(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);

    [Fact]
    public void A_conversation_is_read_with_its_speakers_sessions_turns_and_photo_captions()
    {
        var conversation = Assert.Single(LocomoParser.Parse(LocomoSample.Json, "sample.json"));

        Assert.Equal(("test-1", "Ada", "Bo"), (conversation.SampleId, conversation.SpeakerA, conversation.SpeakerB));
        Assert.Equal([1, 2], conversation.Sessions.Select(s => s.Number));
        Assert.Equal(FirstSession, conversation.Sessions[0].At);
        Assert.Equal(new DateTimeOffset(2023, 6, 19, 10, 4, 0, TimeSpan.Zero), conversation.Sessions[1].At);
        Assert.Equal(6, conversation.Sessions[0].Turns.Count);
        Assert.Equal(new LocomoTurn("D1:3", "Ada", "I adopted a greyhound called Pickles from the shelter.", "a photo of a thin dog on a sofa"), conversation.Sessions[0].Turns[2]);
        Assert.Null(conversation.Sessions[0].Turns[0].BlipCaption);
    }

    [Theory]
    [InlineData("1:56 pm on 8 May, 2023", 2023, 5, 8, 13, 56)]
    [InlineData("12:09 am on 13 September, 2023", 2023, 9, 13, 0, 9)]
    [InlineData("12:30 pm on 1 January, 2024", 2024, 1, 1, 12, 30)]
    [InlineData("10:04 AM on 19 June, 2023", 2023, 6, 19, 10, 4)]
    [InlineData("  7:15  pm on 2 Feb, 2022 ", 2022, 2, 2, 19, 15)]
    [InlineData("2023-05-08T13:56:00Z", 2023, 5, 8, 13, 56)]
    public void Session_times_are_read_in_the_invariant_culture_as_utc(string text, int year, int month, int day, int hour, int minute)
    {
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero), LocomoParser.ParseTime(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sometime in May")]
    [InlineData(null)]
    public void Text_that_is_not_a_time_is_not_a_time(string? text)
    {
        Assert.Null(LocomoParser.ParseTime(text));
    }

    [Fact]
    public void Sessions_are_ordered_by_number_not_by_their_place_in_the_file()
    {
        var json = Conversation(
            """
            "session_10_date_time": "1:00 pm on 3 May, 2023", "session_10": [ { "speaker": "A", "dia_id": "D10:1", "text": "ten" } ],
            "session_2_date_time": "1:00 pm on 2 May, 2023", "session_2": [ { "speaker": "B", "dia_id": "D2:1", "text": "two" } ],
            "session_1_date_time": "1:00 pm on 1 May, 2023", "session_1": [ { "speaker": "A", "dia_id": "D1:1", "text": "one" } ]
            """,
            "[]");

        Assert.Equal([1, 2, 10], Assert.Single(LocomoParser.Parse(json, "t")).Sessions.Select(s => s.Number));
    }

    [Theory]
    [InlineData(new[] { "D1:3" }, new[] { "D1:3" })]
    [InlineData(new[] { "D8:6; D9:17" }, new[] { "D8:6", "D9:17" })]
    [InlineData(new[] { "D1:18", "D", "D1:20" }, new[] { "D1:18", "D1:20" })]
    [InlineData(new[] { "D:11:26", "D20:21" }, new[] { "D20:21" })]
    [InlineData(new[] { " D2:7 ", "D2:7", "d2:8", "D2:x" }, new[] { "D2:7" })]
    [InlineData(new string[0], new string[0])]
    public void Malformed_evidence_ids_are_split_trimmed_or_dropped(string[] raw, string[] expected)
    {
        Assert.Equal(expected, LocomoParser.CleanEvidence(raw));
    }

    [Fact]
    public void Questions_keep_their_category_and_answer_whatever_json_type_it_has()
    {
        var questions = Assert.Single(LocomoParser.Parse(LocomoSample.Json, "t")).Questions;

        Assert.Equal([4, 2, 1, 5], questions.Select(q => q.Category));
        Assert.Equal("Pickles", questions[0].Answer);
        Assert.Equal("2023", questions[1].Answer);
        Assert.Null(questions[3].Answer);
        Assert.Equal(["D2:2"], questions[1].Evidence);
        Assert.All(questions, q => Assert.Null(q.AskedAt));
    }

    [Fact]
    public void A_question_date_a_string_category_and_a_missing_category_are_understood()
    {
        var json = Conversation(
            """ "session_1_date_time": "1:56 pm on 8 May, 2023", "session_1": [ { "speaker": "A", "dia_id": "D1:1", "text": "hi" } ] """,
            """
            [
              { "question": "q1", "answer": "a", "evidence": ["D1:1"], "category": "3", "question_date": "9:00 am on 10 May, 2023" },
              { "question": "q2", "evidence": ["D1:1"] },
              { "question": "q3", "answer": null, "evidence": "D1:1", "category": 2.5 }
            ]
            """);

        var questions = Assert.Single(LocomoParser.Parse(json, "t")).Questions;

        Assert.Equal(3, questions[0].Category);
        Assert.Equal(new DateTimeOffset(2023, 5, 10, 9, 0, 0, TimeSpan.Zero), questions[0].AskedAt);
        Assert.Equal(0, questions[1].Category);
        Assert.Equal(0, questions[2].Category);
        Assert.Empty(questions[2].Evidence);
    }

    [Theory]
    [InlineData("[ { \"sample_id\": ", "is not valid JSON")]
    [InlineData("{ \"sample_id\": \"x\" }", "expected a JSON list of conversations")]
    [InlineData("[ { \"sample_id\": \"x\" } ]", "x is not in the LoCoMo format: has no 'conversation' object")]
    [InlineData("[ { \"conversation\": { \"speaker_a\": \"A\" } } ]", "conversation-1 is not in the LoCoMo format: has no 'speaker_b'")]
    public void A_file_that_is_not_locomo_is_refused_with_a_message_that_says_why(string json, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => LocomoParser.Parse(json, "bad.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_without_a_readable_time_is_refused_naming_the_field()
    {
        var json = Conversation(""" "session_1_date_time": "soon", "session_1": [] """, "[]");

        var error = Assert.Throws<ArgumentException>(() => LocomoParser.Parse(json, "t"));

        Assert.Contains("'session_1_date_time' is not a time: \"soon\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "nowhere.json");

        var error = Assert.Throws<ArgumentException>(() => LocomoParser.Load(path));

        Assert.Equal($"LoCoMo file not found: {path}", error.Message);
    }

    private static string Conversation(string sessions, string qa) =>
        $$"""[ { "sample_id": "c", "conversation": { "speaker_a": "A", "speaker_b": "B", {{sessions}} }, "qa": {{qa}} } ]""";
}
