namespace KMeansPS.Imaging.Quantization;

/// <summary>The steps of <see cref="ImageQuantizer"/>, in order.</summary>
internal enum QuantizeStage
{
    Decoding = 0,
    Histogram = 1,
    Clustering = 2,
    Mapping = 3,
    Encoding = 4,
    Metrics = 5,
    Comparison = 6,
    Completed = 7,
}
