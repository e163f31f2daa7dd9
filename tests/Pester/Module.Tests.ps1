BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-KMeansPSModulePath
    Import-Module $script:ModulePath -Force
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'KMeansPS module' {
    It 'has a valid manifest that targets PowerShell 7.4 Core' {
        $manifest = Test-ModuleManifest $script:ModulePath
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.Version | Should -Not -Be ([version]'0.0')
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $listed = (Import-PowerShellDataFile $script:ModulePath).CmdletsToExport | Sort-Object
        $exported = (Get-Command -Module KMeansPS).Name | Sort-Object
        $exported | Should -Be $listed
    }

    It 'loads its dependencies into its own AssemblyLoadContext, not the default one' {
        # Force the engine to load, then look where it landed.
        $null = New-SyntheticClusterData -Count 1 -Clusters 1 -Seed 1
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KMeansPS.Engine' }
        $engine | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine[0]).Name | Should -Be 'KMeansPS'
        $cmdlets = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KMeansPS' }
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdlets[0]).Name | Should -Be 'Default'
    }

    It 'ships no System.Management.Automation and keeps third-party assemblies under Dependencies' {
        $root = Split-Path $script:ModulePath
        Get-ChildItem $root -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
        (Get-ChildItem $root -Filter '*.dll').Name | Should -Be @('KMeansPS.dll')
    }
}
