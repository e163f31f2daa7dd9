namespace KMeansPS.Imaging.Integrity;

/// <summary>The CCITT codings a TIFF strip can hold, as <see cref="FaxRowCounter"/> walks them.</summary>
internal enum FaxCoding
{
    /// <summary>TIFF compression 2 ("CCITT RLE"): the T.4 one-dimensional codes, each row from a byte boundary, no EOL codes.</summary>
    ModifiedHuffman,

    /// <summary>TIFF compression 3 with T4Options bit 0 clear: T.4 one-dimensional rows, each after an optional EOL code and fill.</summary>
    T4OneDimensional,

    /// <summary>TIFF compression 4: T.6 rows, each coded against the row above (the first against a white row).</summary>
    T6,
}
