using KMeansPS.Bridge;
using KMeansPS.Imaging.Quantization;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>What a file's progress record says for each quantizer report: stage, detail, a percentage that only grows.</summary>
public sealed class FileStagesTests
{
    [Fact]
    public void Decoding_tells_the_rows_and_the_fit_its_iterations()
    {
        Assert.Equal(("decode", "250 of 1000 rows", 7), FileStages.Describe(new QuantizeProgress(QuantizeStage.Decoding, 250, 1000)));
        Assert.Equal(("decode", (string?)null, 0), FileStages.Describe(new QuantizeProgress(QuantizeStage.Decoding, 0, 0)));
        Assert.Equal(("fit", "iteration 12 of at most 300", 36), FileStages.Describe(new QuantizeProgress(QuantizeStage.Clustering, 12, 300)));
        Assert.Null(FileStages.Describe(new QuantizeProgress(QuantizeStage.Completed, 0, 0)));
    }

    [Fact]
    public void The_percentage_grows_through_the_stages_in_their_order()
    {
        QuantizeProgress[] run =
        [
            new(QuantizeStage.Decoding, 0, 1000), new(QuantizeStage.Decoding, 500, 1000), new(QuantizeStage.Decoding, 1000, 1000),
            new(QuantizeStage.Histogram, 0, 0), new(QuantizeStage.Clustering, 1, 300), new(QuantizeStage.Clustering, 300, 300),
            new(QuantizeStage.Mapping, 0, 0), new(QuantizeStage.Encoding, 0, 0), new(QuantizeStage.Metrics, 0, 0),
            new(QuantizeStage.Comparison, 0, 0),
        ];
        int[] percents = run.Select(p => FileStages.Describe(p)!.Value.Percent).ToArray();
        for (int i = 1; i < percents.Length; i++) Assert.True(percents[i] >= percents[i - 1], string.Join(",", percents));
        Assert.InRange(percents[^1], 90, 100);
    }
}
