package dev.atrium.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The compiled main classes of each module, read once per test run. */
final class AtriumClasses {

  static final String CONTROL_PLANE = "dev.atrium.controlplane";
  static final String DATA_PLANE = "dev.atrium.dataplane";
  static final String CONSOLE = "dev.atrium.console";
  static final String TENANCY = "dev.atrium.tenancy";
  static final String COMPLIANCE = "dev.atrium.compliance";
  static final String CONTRACT = "dev.atrium.contract";

  private static JavaClasses all;

  private AtriumClasses() {}

  static synchronized JavaClasses all() {
    if (all == null) {
      all = new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.atrium");
    }
    return all;
  }
}
