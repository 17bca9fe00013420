namespace Kindred.Cli.Tests.Eval;

/// <summary>A tiny conversation in the LoCoMo format, made up for tests (the real data must not enter the repository).</summary>
internal static class LocomoSample
{
    /// <summary>
    /// Two sessions, twelve turns, and questions of categories 1, 2, 4 and 5 whose evidence shares distinctive words
    /// with the question; plus the fields the evaluation must ignore.
    /// </summary>
    public const string Json = """
        [
          {
            "sample_id": "test-1",
            "conversation": {
              "speaker_a": "Ada",
              "speaker_b": "Bo",
              "session_1_date_time": "1:56 pm on 8 May, 2023",
              "session_1": [
                { "speaker": "Ada", "dia_id": "D1:1", "text": "Hi Bo, how was your week?" },
                { "speaker": "Bo", "dia_id": "D1:2", "text": "Busy but good. And yours?" },
                { "speaker": "Ada", "dia_id": "D1:3", "text": "I adopted a greyhound called Pickles from the shelter.", "img_url": ["http://example.invalid/dog.jpg"], "blip_caption": "a photo of a thin dog on a sofa" },
                { "speaker": "Bo", "dia_id": "D1:4", "text": "That is lovely news!" },
                { "speaker": "Ada", "dia_id": "D1:5", "text": "Thanks, I am happy about it." },
                { "speaker": "Bo", "dia_id": "D1:6", "text": "I started learning the cello last month." }
              ],
              "session_2_date_time": "10:04 am on 19 June, 2023",
              "session_2": [
                { "speaker": "Bo", "dia_id": "D2:1", "text": "Good morning!" },
                { "speaker": "Ada", "dia_id": "D2:2", "text": "Morning! I am training for the Lisbon marathon in October." },
                { "speaker": "Bo", "dia_id": "D2:3", "text": "Wow, that sounds hard." },
                { "speaker": "Ada", "dia_id": "D2:4", "text": "It is, but fun." },
                { "speaker": "Bo", "dia_id": "D2:5", "text": "My cello teacher says my bowing improved." },
                { "speaker": "Ada", "dia_id": "D2:6", "text": "See you soon." }
              ]
            },
            "qa": [
              { "question": "What is the name of the greyhound Ada adopted?", "answer": "Pickles", "evidence": ["D1:3"], "category": 4 },
              { "question": "When is Ada running the Lisbon marathon?", "answer": 2023, "evidence": ["D2:2; D"], "category": 2 },
              { "question": "What instrument does Bo play, the cello?", "answer": "cello", "evidence": ["D1:6", "D2:5"], "category": 1 },
              { "question": "What did Ada say about her cat?", "adversarial_answer": "nothing", "evidence": ["D1:3"], "category": 5 }
            ],
            "observation": { "session_1_observation": { "Ada": [["Ada adopted a greyhound", "D1:3"]] } },
            "session_summary": { "session_1_summary": "Ada adopted a dog." },
            "event_summary": { "events_session_1": { "Ada": ["adopts a dog"], "date": "8 May, 2023" } }
          }
        ]
        """;
}
