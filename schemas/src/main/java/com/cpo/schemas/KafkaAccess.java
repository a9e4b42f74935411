package com.cpo.schemas;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the brokers: the one place the platform's Kafka principals and their ACLs are defined, for the
 * launcher, the tests and the deployment's topic and ACL creation. The brokers deny whatever is not granted here
 * ({@code allow.everyone.if.no.acl.found=false}); the admin is a super user.
 *
 * <ul>
 * <li>a station ({@code station-AA-01}) writes raw station events and reads verdicts (it follows them without a group);</li>
 * <li>the analytics app reads station events and limits, and alone writes verdicts and the derived topics, its own
 * internal topics and transactional ids (by its application id as prefix);</li>
 * <li>the service alone writes limits; it reads every topic it stores or shows, writes dead letters (its channels'),
 * and replays a dead letter to the station-events topic on an engineer's request.</li>
 * </ul>
 *
 * <p>Kafka does not tell a consumer who produced a record: any station may write an event naming another station.
 * That residual risk is in {@code docs/SECURITY.md}.
 */
public final class KafkaAccess {

    /** The super user: creates topics, users and ACLs. */
    public static final String ADMIN = "admin";
    public static final String ANALYTICS = "analytics";
    /** The analytics app's Kafka Streams application id unless configured otherwise: its group, internal topics' prefix. */
    public static final String DEFAULT_ANALYTICS_APPLICATION_ID = "cpo-analytics";
    public static final String SERVICE = "platform-service";
    /** Consumer groups of the service start with this. */
    public static final String SERVICE_GROUP_PREFIX = "platform-service";

    private KafkaAccess() {
    }

    /** Principal name of a station's agent. */
    public static String station(String stationId) {
        return "station-" + stationId;
    }

    /** What a station's agent may do. */
    public static List<AclBinding> forStation(String stationId) {
        String user = station(stationId);
        List<AclBinding> acls = new ArrayList<>();
        acls.add(topic(user, Topics.STATION_EVENTS.name(), AclOperation.WRITE));
        acls.add(topic(user, Topics.VERDICTS.name(), AclOperation.READ));
        return acls;
    }

    /** What the analytics app (Kafka Streams application {@code applicationId}) may do. */
    public static List<AclBinding> forAnalytics(String applicationId) {
        List<AclBinding> acls = new ArrayList<>();
        for (Topics.Topic in : List.of(Topics.STATION_EVENTS, Topics.LIMITS, Topics.SPC_BASELINES)) {
            acls.add(topic(ANALYTICS, in.name(), AclOperation.READ));
        }
        for (Topics.Topic out : List.of(Topics.VERDICTS, Topics.YIELD, Topics.RTY, Topics.COUPLING_LOSS_STATS, Topics.BURNIN_ALARMS,
                Topics.BURNIN_STATUS, Topics.SPC_POINTS, Topics.SPC_VIOLATIONS, Topics.CORRECTIONS, Topics.DEAD_LETTER)) {
            acls.add(topic(ANALYTICS, out.name(), AclOperation.WRITE));
        }
        acls.add(binding(ANALYTICS, ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, AclOperation.ALL));
        acls.add(binding(ANALYTICS, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
        acls.add(binding(ANALYTICS, ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED, AclOperation.WRITE));
        return acls;
    }

    /** What the service may do. */
    public static List<AclBinding> forService() {
        List<AclBinding> acls = new ArrayList<>();
        for (Topics.Topic in : Topics.all()) {
            acls.add(topic(SERVICE, in.name(), AclOperation.READ));
        }
        for (Topics.Topic out : List.of(Topics.LIMITS, Topics.SPC_BASELINES, Topics.DEAD_LETTER, Topics.STATION_EVENTS)) {
            acls.add(topic(SERVICE, out.name(), AclOperation.WRITE));
        }
        acls.add(binding(SERVICE, ResourceType.GROUP, SERVICE_GROUP_PREFIX, PatternType.PREFIXED, AclOperation.READ));
        return acls;
    }

    /** Every ACL of a line with these stations and the analytics app under {@code applicationId}. */
    public static List<AclBinding> forLine(List<String> stationIds, String applicationId) {
        List<AclBinding> acls = new ArrayList<>(forService());
        acls.addAll(forAnalytics(applicationId));
        stationIds.forEach(s -> acls.addAll(forStation(s)));
        return acls;
    }

    private static AclBinding topic(String user, String topic, AclOperation operation) {
        return binding(user, ResourceType.TOPIC, topic, PatternType.LITERAL, operation);
    }

    private static AclBinding binding(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }
}
