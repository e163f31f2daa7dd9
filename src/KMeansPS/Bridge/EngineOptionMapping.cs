namespace KMeansPS.Bridge;

/// <summary>The cmdlets' public option enums mapped to the engine's (kept apart so PowerShell can read parameter types at import).</summary>
internal static class EngineOptionMapping
{
    public static Engine.KMeansAlgorithm ToEngine(this Output.KMeansAlgorithm algorithm) => algorithm switch
    {
        Output.KMeansAlgorithm.Lloyd => Engine.KMeansAlgorithm.Lloyd,
        Output.KMeansAlgorithm.Hamerly => Engine.KMeansAlgorithm.Hamerly,
        Output.KMeansAlgorithm.MiniBatch => Engine.KMeansAlgorithm.MiniBatch,
        _ => Engine.KMeansAlgorithm.Auto,
    };
}
