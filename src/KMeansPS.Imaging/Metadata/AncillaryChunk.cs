namespace KMeansPS.Imaging.Metadata;

/// <summary>An ancillary PNG chunk carried from a source into an output: its four-letter type and its data (CRC checked on reading).</summary>
internal sealed record AncillaryChunk(string Type, byte[] Data);
