// Reconciles the secure broker's SCRAM credentials and ACLs with interforce's plan.
// Run by `interforce services up --secure` in Java's single-file source mode, on the
// broker's own jars:  java -cp 'libs/*' ApplyAccess.java CLIENT_PROPERTIES PLAN_TSV PASSWORD_DIR
// Passwords are read from PASSWORD_DIR/<user>.password and never printed.

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

public class ApplyAccess {
    private static final int SCRAM_ITERATIONS = 8192;
    private static final long TIMEOUT_SECONDS = 60;

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ApplyAccess CLIENT_PROPERTIES PLAN_TSV PASSWORD_DIR");
            System.exit(2);
        }
        Properties config = new Properties();
        try (var in = Files.newInputStream(Path.of(args[0]))) {
            config.load(in);
        }
        Set<AclBinding> plan = readPlan(Path.of(args[1]));
        try (Admin admin = Admin.create(config)) {
            int users = upsertCredentials(admin, Path.of(args[2]));
            System.out.println("scram-sha-512 credentials upserted: " + users);
            reconcileAcls(admin, plan);
        }
    }

    static Set<AclBinding> readPlan(Path file) throws Exception {
        Set<AclBinding> plan = new HashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // principal, resource type, pattern type, resource name, operation, permission, host
            String[] f = line.split("\t", -1);
            ResourcePattern pattern = new ResourcePattern(
                ResourceType.fromString(f[1]), f[3], PatternType.fromString(f[2]));
            AccessControlEntry entry = new AccessControlEntry(
                f[0], f[6], AclOperation.fromString(f[4]), AclPermissionType.fromString(f[5]));
            plan.add(new AclBinding(pattern, entry));
        }
        return plan;
    }

    static int upsertCredentials(Admin admin, Path folder) throws Exception {
        ScramCredentialInfo info = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS);
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.password")) {
            for (Path file : files) {
                String user = file.getFileName().toString().replaceFirst("\\.password$", "");
                String password = Files.readString(file, StandardCharsets.UTF_8).strip();
                upserts.add(new UserScramCredentialUpsertion(user, info, password));
            }
        }
        if (!upserts.isEmpty()) {
            admin.alterUserScramCredentials(upserts).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        return upserts.size();
    }

    static void reconcileAcls(Admin admin, Set<AclBinding> plan) throws Exception {
        Collection<AclBinding> existing =
            admin.describeAcls(AclBindingFilter.ANY).values().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<AclBinding> missing = plan.stream().filter(b -> !existing.contains(b)).collect(Collectors.toList());
        List<AclBindingFilter> extra = existing.stream()
            .filter(b -> !plan.contains(b)).map(AclBinding::toFilter).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            admin.createAcls(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (!extra.isEmpty()) {
            admin.deleteAcls(extra).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        System.out.printf("acls: %d in plan, %d added, %d removed, %d kept%n",
            plan.size(), missing.size(), extra.size(), plan.size() - missing.size());
    }
}
